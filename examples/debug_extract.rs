//! Prints the statements whosaid finds in text given on stdin: a quick way to see
//! what the extractor does with a sentence.
//!
//! `echo '“Go,” she said.' | cargo run -q --example debug_extract`

use std::io::Read;

fn main() -> anyhow::Result<()> {
    let mut body = String::new();
    std::io::stdin().read_to_string(&mut body)?;
    let article = whosaid::article::Article {
        id: "stdin".into(),
        path: "-".into(),
        title: None,
        date: std::env::args().nth(1).and_then(|d| d.parse().ok()),
        source: None,
        url: None,
        author: None,
        dateline: None,
        body,
    };
    for s in whosaid::extract::extract(&article) {
        println!(
            "{:<8} {:?} <- {:?} [{:?}] {:?} | {}",
            s.kind.as_str(),
            s.speaker,
            s.speaker_mention,
            s.cue,
            s.date,
            s.text.replace('\n', " ")
        );
    }
    Ok(())
}
