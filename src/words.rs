//! The word tokenizer of the index and of speaker names: runs of letters and digits, lower-cased, accents folded
//! ("They’ll" and "they'll" both give `they`, `ll`; "López" gives `lopez`).
//!
//! It makes exactly the tokens of Tantivy's `SimpleTokenizer` + `LowerCaser` +
//! `AsciiFoldingFilter` (a test compares them on mixed scripts), but in one pass over
//! the bytes of ASCII words, which are nearly all of a news corpus: the three-stage
//! chain was a twentieth of the ingest's instructions. A word with other characters
//! goes through Tantivy's chain.
//!
//! Known limits: none of its own; Tantivy's chain folds only Latin accents, so words
//! of other scripts are only lower-cased.

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, SimpleTokenizer, TextAnalyzer, Token, TokenStream, Tokenizer,
};

/// The analyzer of statement text, titles and speaker names (see [`WordTokenizer`]):
/// "They’ll" and "they'll" both become ["they", "ll"], and "Lopez" finds "López".
pub fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(WordTokenizer::default())
}

/// Tokens of `text` as the analyzer produces them.
pub(crate) fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    stream.process(&mut |token| out.push(token.text.clone()));
    out
}

/// See the module documentation.
#[derive(Clone)]
pub struct WordTokenizer {
    token: Token,
    /// For words that are not all ASCII.
    chain: TextAnalyzer,
}

impl Default for WordTokenizer {
    fn default() -> WordTokenizer {
        WordTokenizer { token: Token::default(), chain: tantivy_chain() }
    }
}

/// Tantivy's three stages that [`WordTokenizer`] matches.
pub(crate) fn tantivy_chain() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        WordStream { text, at: 0, token: &mut self.token, chain: &mut self.chain }
    }
}

pub struct WordStream<'a> {
    text: &'a str,
    /// Byte offset of the next character to look at (always on a char boundary).
    at: usize,
    token: &'a mut Token,
    chain: &'a mut TextAnalyzer,
}

impl WordStream<'_> {
    /// The char at byte `i` (on a boundary, not ASCII) and its length, when it is
    /// a letter or digit; else None and its length.
    fn wide_at(&self, i: usize) -> (bool, usize) {
        match self.text.get(i..).and_then(|t| t.chars().next()) {
            Some(c) => (c.is_alphanumeric(), c.len_utf8()),
            None => (false, 1),
        }
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        let bytes = self.text.as_bytes();
        let mut i = self.at;
        // Past the separators: ASCII ones byte by byte, others char by char.
        loop {
            let Some(&b) = bytes.get(i) else {
                self.at = i;
                return false;
            };
            if b < 0x80 {
                if b.is_ascii_alphanumeric() {
                    break;
                }
                i += 1;
            } else {
                let (alphanumeric, n) = self.wide_at(i);
                if alphanumeric {
                    break;
                }
                i += n;
            }
        }
        let start = i;
        let mut ascii = true;
        while let Some(&b) = bytes.get(i) {
            if b < 0x80 {
                if !b.is_ascii_alphanumeric() {
                    break;
                }
                i += 1;
            } else {
                let (alphanumeric, n) = self.wide_at(i);
                if !alphanumeric {
                    break;
                }
                ascii = false;
                i += n;
            }
        }
        self.at = i;
        let word = &self.text[start..i];
        let token = &mut *self.token;
        token.text.clear();
        token.offset_from = start;
        token.offset_to = i;
        token.position = token.position.wrapping_add(1);
        if ascii {
            token.text.push_str(word);
            token.text.make_ascii_lowercase();
        } else {
            // One run of letters and digits is one token of the chain too.
            self.chain.token_stream(word).process(&mut |t| token.text.push_str(&t.text));
        }
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curly_and_straight_apostrophes_tokenize_alike() {
        let mut a = exact_analyzer();
        assert_eq!(tokens(&mut a, "They’ll"), tokens(&mut a, "they'll"));
        assert_eq!(tokens(&mut a, "“Go,” he said"), vec!["go", "he", "said"]);
        assert_eq!(tokens(&mut a, "López"), vec!["lopez"]);
    }

    fn all(mut analyzer: TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut out = Vec::new();
        analyzer
            .token_stream(text)
            .process(&mut |t| out.push((t.text.clone(), t.offset_from, t.offset_to, t.position)));
        out
    }

    #[test]
    fn same_tokens_as_tantivys_chain() {
        for text in [
            "“They’ll regret this,” Ann Lee said on 3 March 2024.",
            "López, Ærøskøbing, Straße, İstanbul, ÉCOLE, naïve café",
            "Иван Петров сказал: «Нет». 東京 2024年",
            "tabs\tand\nnewlines, under_scores, e-mail, 1,000.5 %",
            "emoji 👍🏽 joined👍words, combining e\u{301}t\u{e9}",
            "",
            "   ...   ",
            "X",
        ] {
            let ours = all(TextAnalyzer::from(WordTokenizer::default()), text);
            assert_eq!(ours, all(tantivy_chain(), text), "{text}");
        }
    }

    #[test]
    fn reusing_the_tokenizer_restarts_positions() {
        let mut analyzer = TextAnalyzer::from(WordTokenizer::default());
        for _ in 0..2 {
            let mut positions = Vec::new();
            analyzer.token_stream("Ann Lee said").process(&mut |t| positions.push(t.position));
            assert_eq!(positions, [0, 1, 2]);
        }
    }
}
