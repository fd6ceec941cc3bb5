//! Statement extraction: finds direct quotations and reported speech in an article
//! body, attributes each to a speaker and dates it.
//!
//! The passes, in order (each a file or folder here):
//! 1. `tokens`: words, punctuation, quotation marks, paragraph breaks, with byte spans.
//! 2. `sentences`: sentence and paragraph ranges over the tokens.
//! 3. `quotes`: paired quotation marks, including quotations over several paragraphs.
//!    (`doc` holds the three for the passes after them.)
//! 4. `cues` (with `mentions`): cue + speaker mention + content, most certain first,
//!    as [`cues::DraftStatement`]s; then unclaimed quotations join or continue the
//!    statement before them. `detect`: learned cue and content models add the
//!    statements no pattern found.
//!    `registry` then lists the article's people and organizations (names, titles,
//!    roles, genders) for the passes after it.
//! 5. `attribution`: a learned ranker picks each statement's source among the
//!    mentions around it (the rules' choice is one candidate and a feature).
//! 6. `resolve`: mentions resolved to canonical names within the article
//!    (pronouns, descriptions, surnames, organizations); `coref`, a learned ranker,
//!    picks the referent of a speaker pronoun.
//! 7. `dating`: each statement's day. `time_expressions` reads the time words near
//!    its attribution against the article's reference day (`reference_day`: the
//!    dateline's day, else the article's); failing those, `story_time` gives the
//!    day the story's narration is at (its paragraph's, its lede's), and last the
//!    dateline's or the article's day.
//!
//! The learned models are loaded by `models` from `model_files`, the files of
//! `data/models/` compiled in.
//!
//! Ranges are typed (`span`): a `TokSpan` is token indices, a `ByteSpan` byte
//! offsets into the body. [`Statement`]'s spans stay plain `[start, end]` byte
//! pairs; they are converted at the end of [`extract_with`].
//!
//! Known limits: rule-based and English only; see each pass for its own.

use crate::article::Article;
use crate::statement::{Kind, Precision, Statement, StatementIds};
use span::ByteSpan;

pub(crate) mod attribution;
pub(crate) mod coref;
pub(crate) mod cues;
mod dating;
pub(crate) mod detect;
pub(crate) mod doc;
pub(crate) mod mentions;
pub mod model_files;
pub mod models;
mod quotes;
mod reference_day;
pub(crate) mod registry;
pub(crate) mod resolve;
mod sentences;
pub(crate) mod span;
mod story_time;
pub mod time_expressions;
pub(crate) mod tokens;

pub use doc::Doc;
pub use models::Models;

/// The byte ranges of `text`'s sentences, as extraction splits them (see
/// `sentences`): what the index shows around a statement, so a hit's context is cut
/// where extraction read its sentences.
pub fn sentence_bytes(text: &str) -> Vec<[usize; 2]> {
    let toks = tokens::tokenize(text);
    sentences::split(text, &toks)
        .into_iter()
        .filter(|s| s.end > s.start)
        .map(|s| [toks[s.start].start, toks[s.end - 1].end])
        .collect()
}

/// Finds the statements of one article, with the compiled-in models.
pub fn extract(article: &Article) -> Vec<Statement> {
    extract_with(article, Models::embedded())
}

/// Finds the statements of one article with the given models.
pub fn extract_with(article: &Article, models: &Models) -> Vec<Statement> {
    let body = article.body.as_str();
    let doc = Doc::new(body);
    let mut found = cues::find(&doc);
    if let (Some(cue), Some(span), Some(lex)) = (&models.cue, &models.span, &models.lexicon) {
        detect::add(&doc, lex, &mut found, cue, span, models.clusters.as_ref());
    }
    cues::orphans(&doc, &mut found);
    let reg = registry::Registry::build(&doc, &found);
    if let Some(model) = &models.speaker {
        let ctx = attribution::Context::new(&doc, &reg, &found, models.clusters.as_ref());
        attribution::choose(&ctx, &mut found, model);
    }
    let coref_ctx =
        models.coref.as_ref().map(|_| coref::Context::new(&doc, &reg, models.clusters.as_ref()));
    let coref = coref_ctx.as_ref().zip(models.coref.as_ref());
    let speakers = resolve::resolve(&doc, &reg, &found, article.author.as_deref(), coref);
    // Once per article, not per statement.
    let article_date = article.date.map(|d| d.to_string());
    let ids = StatementIds::new(&article.id);
    let days = reference_day::ReferenceDay::new(article, &doc);
    let dates = dating::date_all(&doc, &days, &found, &speakers);
    let mut out = Vec::with_capacity(found.len());
    for ((f, who), dated) in found.iter().zip(&speakers).zip(&dates) {
        let period = match dated.when {
            time_expressions::When::At(p) => Some(p),
            _ => None,
        };
        // The statement's spans are plain byte pairs.
        let ByteSpan { start, end } = f.span;
        out.push(Statement {
            id: ids.id(start, end),
            article: article.id.clone(),
            path: article.path.clone(),
            title: article.title.clone(),
            source: article.source.clone(),
            text: body[start..end].to_string(),
            kind: f.kind,
            speaker: who.speaker.clone(),
            speaker_type: who.speaker.as_ref().and(who.kind),
            speaker_mention: f.mention.map(|m| doc.slice(m.span).to_string()),
            cue: f.cue.map(|c| doc.slice(c).to_string()),
            date: period.filter(|p| p.precision == Precision::Day).map(|p| p.first.to_string()),
            date_precision: period.map(|p| p.precision),
            date_source: dated.source.filter(|_| period.is_some()),
            period: period.map(|p| p.label()),
            article_date: article_date.clone(),
            span: [start, end],
            speaker_span: f.mention.map(|m| doc.bytes(m.span).to_array()),
            cue_span: f.cue.map(|c| doc.bytes(c).to_array()),
            role: who.role.clone(),
            url: article.url.clone(),
            date_rejected: dated.rejected.map(|p| p.label()),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::DateSource;

    fn article(body: &str, date: &str) -> Article {
        Article {
            id: "t.txt".into(),
            path: "t.txt".into(),
            title: None,
            date: date.parse().ok(),
            source: None,
            url: None,
            author: None,
            dateline: None,
            body: body.into(),
        }
    }

    #[test]
    fn coarse_dates_have_a_period_and_no_day() {
        let st = extract(&article(
            "Earlier in the week, Ann Lee said that taxes would rise.",
            "2025-03-13",
        ));
        assert_eq!(st[0].date, None);
        assert_eq!(st[0].date_precision, Some(Precision::Week));
        assert_eq!(st[0].date_source, Some(DateSource::Text));
        assert_eq!(st[0].period.as_deref(), Some("2025-W11"));
        let st =
            extract(&article("In the past, Ann Lee has said that taxes would rise.", "2025-03-13"));
        assert_eq!(
            (st[0].date.as_deref(), st[0].date_precision, st[0].date_source),
            (None, None, None)
        );
        let st = extract(&article("Ann Lee said that taxes would rise.", "2025-03-13"));
        assert_eq!(
            (st[0].date.as_deref(), st[0].date_source),
            (Some("2025-03-13"), Some(DateSource::Article))
        );
    }

    #[test]
    fn an_announced_statement_has_no_date() {
        let st = extract(&article(
            "On Monday, Ann Lee will testify that the deal was legal.",
            "2017-03-20",
        ));
        assert_eq!(
            st.first().map(|s| (s.date.clone(), s.date_source)),
            Some((None, None)),
            "{st:?}"
        );
    }

    #[test]
    fn a_dateline_day_beats_the_article_day_and_anchors_relative_words() {
        let body = "WASHINGTON, Feb 26 - Ann Lee said that taxes would rise.\n\nTom Baker said yesterday that they would not.";
        let st = extract(&article(body, "1987-02-27"));
        assert_eq!(
            (st[0].date.as_deref(), st[0].date_source),
            (Some("1987-02-26"), Some(DateSource::Dateline))
        );
        assert_eq!(
            (st[1].date.as_deref(), st[1].date_source),
            (Some("1987-02-25"), Some(DateSource::Text))
        );
    }

    /// (text, speaker, date) of each statement.
    fn statements(body: &str, date: &str) -> Vec<(String, Option<String>, Option<String>)> {
        extract(&article(body, date)).into_iter().map(|s| (s.text, s.speaker, s.date)).collect()
    }

    #[test]
    fn inverted_quote_with_role() {
        let st = extract(&article(
            "“It gives us nothing,” said Ivan Petrov, a former ambassador to Rome.",
            "2025-03-13",
        ));
        assert_eq!(st.len(), 1);
        assert_eq!(st[0].text, "It gives us nothing,");
        assert_eq!(st[0].speaker.as_deref(), Some("Ivan Petrov"));
        assert_eq!(st[0].role.as_deref(), Some("former ambassador to Rome"));
        assert_eq!(st[0].kind, Kind::Direct);
    }

    #[test]
    fn pronoun_goes_to_the_subject_of_the_sentence_before() {
        let s = statements("Mayor Ann Lee spoke at noon. “We are ready,” she said.", "2020-01-02");
        assert_eq!(
            s,
            [(
                "We are ready,".to_string(),
                Some("Ann Lee".to_string()),
                Some("2020-01-02".to_string())
            )]
        );
    }

    #[test]
    fn surname_takes_the_fullest_form_and_titles_drop() {
        let s = statements(
            "Sen. Tom Baker arrived. Baker said that the bill would pass.",
            "2020-01-02",
        );
        assert_eq!(s[0].1.as_deref(), Some("Tom Baker"));
        assert_eq!(s[0].0, "the bill would pass");
    }

    #[test]
    fn a_quote_split_by_its_attribution_is_one_statement() {
        let body = "“We agree,” Lee told reporters. “But we need more time.”";
        let s = statements(body, "2020-01-02");
        assert_eq!(s.len(), 1);
        assert!(s[0].0.starts_with("We agree") && s[0].0.ends_with("more time."));
    }

    #[test]
    fn an_unattributed_quote_paragraph_continues_the_speaker_before() {
        let body = "“I will go,” Ann Lee told reporters on Monday.\n\n“Hopefully, they’ll follow.”";
        let s = statements(body, "2020-01-08");
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].1.as_deref(), Some("Ann Lee"));
        // 2020-01-08 is a Wednesday.
        assert_eq!(s[1].2.as_deref(), Some("2020-01-06"));
    }

    #[test]
    fn description_resolves_forward_to_the_newly_named_speaker() {
        let body = "Smith’s top aide told state media earlier in the day that the offer was a trap.\n“It gives us nothing,” said Ivan Petrov, a former ambassador.";
        let s = statements(body, "2025-03-13");
        assert_eq!(s[0].1.as_deref(), Some("Ivan Petrov"));
        assert_eq!(s[0].0, "the offer was a trap");
    }

    #[test]
    fn according_to_and_trailing_cues() {
        let s = statements("According to the police chief, the suspect fled on foot. The storm will worsen, analysts said.", "2020-01-02");
        assert_eq!(s[0].0, "the suspect fled on foot");
        assert_eq!(s[0].1.as_deref(), Some("police chief"));
        assert_eq!(s[1].0, "The storm will worsen");
        assert_eq!(s[1].1.as_deref(), Some("analysts"));
    }

    #[test]
    fn participle_cue_takes_the_sentence_subject() {
        let s = statements(
            "Jane Roe reacted later on March 13, stating that the deal was a positive start.",
            "2025-03-14",
        );
        assert_eq!(s[0].1.as_deref(), Some("Jane Roe"));
        assert_eq!(s[0].2.as_deref(), Some("2025-03-13"));
    }

    #[test]
    fn quoted_as_saying_credits_the_one_quoted() {
        let s = statements(
            "The newspaper quoted Ann Lee as saying that the plant would close.",
            "2020-01-02",
        );
        assert_eq!(s[0].0, "the plant would close");
        assert_eq!(s[0].1.as_deref(), Some("Ann Lee"));
        let s =
            statements("Tom Baker was quoted as saying the plant would stay open.", "2020-01-02");
        assert_eq!(s[0].0, "the plant would stay open");
        assert_eq!(s[0].1.as_deref(), Some("Tom Baker"));
    }

    #[test]
    fn appositives_with_a_capital_or_dashes_describe_the_name_before() {
        let s = statements("Even Norway, the plan's only backer and its main lender, said it was opposed to the vote.", "2020-01-02");
        assert_eq!(s[0].0, "it was opposed to the vote");
        assert_eq!(s[0].1.as_deref(), Some("Norway"));
        let s = statements("Jon Hall -- co-editor of a book on debates -- said the candidate tended to make announcements.", "2020-01-02");
        assert_eq!(s[0].0, "the candidate tended to make announcements");
        assert_eq!(s[0].1.as_deref(), Some("Jon Hall"));
    }

    #[test]
    fn attribution_inside_the_content_and_after_it() {
        let s = statements(
            "The museum, Ann Lee said, would make visitors face hard truths.",
            "2020-01-02",
        );
        assert_eq!(s[0].0, "The museum, Ann Lee said, would make visitors face hard truths");
        let s = statements(
            "But the new plan is still tilted toward the rich, the Budget Office said.",
            "2020-01-02",
        );
        assert_eq!(s[0].0, "But the new plan is still tilted toward the rich");
        assert_eq!(s[0].1.as_deref(), Some("Budget Office"));
        let s = statements("Last month, Tom Baker said the budget was wrong.", "2020-01-02");
        assert_eq!(s[0].0, "the budget was wrong");
    }

    #[test]
    fn complements_that_open_with_no_a_quotation_or_a_gerund() {
        let s = statements(
            "A lawyer for the paper, Tom Baker, said no decision had been made.",
            "2020-01-02",
        );
        assert_eq!(s[0].0, "no decision had been made");
        assert_eq!(s[0].1.as_deref(), Some("Tom Baker"));
        let s = statements(
            "Tom Baker said “budget reforms” and unpaid taxes would pay for them.",
            "2020-01-02",
        );
        assert_eq!(s[0].0, "“budget reforms” and unpaid taxes would pay for them");
        assert_eq!(s[0].1.as_deref(), Some("Tom Baker"));
        let s = statements(
            "Ann Lee appeared on television and began by saying she would never diagnose anyone.",
            "2020-01-02",
        );
        assert_eq!(s[0].0, "she would never diagnose anyone");
        assert_eq!(s[0].1.as_deref(), Some("Ann Lee"));
        // An answer is not a report.
        assert!(statements("Ann Lee said no to the plan.", "2020-01-02").is_empty());
    }

    #[test]
    fn going_on_to_speak_calling_for_and_possessive_speakers() {
        let s = statements(
            "Ann Lee went on to explain that cuts to spending left her hands tied.",
            "2020-01-02",
        );
        assert_eq!(s[0].0, "cuts to spending left her hands tied");
        assert_eq!(s[0].1.as_deref(), Some("Ann Lee"));
        let s = statements("Tom Baker called for a new inquiry into the contract.", "2020-01-02");
        assert_eq!(s[0].0, "a new inquiry into the contract");
        let s =
            statements("It is unlikely; Lee’s team says she will stay in the race.", "2020-01-02");
        assert_eq!(s[0].0, "she will stay in the race");
        assert_eq!(s[0].1.as_deref(), Some("Lee’s team"));
        let s =
            statements("The debates will not alter the race, noted KXLA’s Dan Chin.", "2020-01-02");
        assert_eq!(s[0].1.as_deref(), Some("Dan Chin"));
    }

    #[test]
    fn the_content_ends_where_the_narration_resumes() {
        let s = statements("Ann Lee said fathers would not be eligible, and when pressed on why she declined to answer.", "2020-01-02");
        assert_eq!(s[0].0, "fathers would not be eligible");
        let s =
            statements("Analysts said the economy had slowed, citing weak exports.", "2020-01-02");
        assert_eq!(s[0].0, "the economy had slowed");
    }

    #[test]
    fn neither_a_quotation_nor_a_prepositional_object_is_the_subject() {
        let body = "“Deals should not be a requirement,” Chairman Tom Baker said in a statement, adding that the deals were handed out like candy.";
        let s = statements(body, "2020-01-02");
        assert_eq!(s[1].0, "the deals were handed out like candy");
        assert_eq!(s[1].1.as_deref(), Some("Tom Baker"));
        let s = statements(
            "In a message posted Friday, Ann Lee said she had doubts about the mayor.",
            "2020-01-02",
        );
        assert_eq!(s[0].0, "she had doubts about the mayor");
        assert_eq!(s[0].1.as_deref(), Some("Ann Lee"));
    }

    #[test]
    fn inverted_cues_outlets_and_people_of_organizations() {
        let s = statements(
            "The code would get worse. Said Ellis: “I don’t see any interest in reform.”",
            "2020-01-02",
        );
        assert_eq!(s[0].1.as_deref(), Some("Ellis"));
        let s = statements("“The company was left holding debt,” the Herald wrote.", "2020-01-02");
        assert_eq!(s[0].1.as_deref(), Some("Herald"));
        let s = statements(
            "“It was the least bad outcome,” Mr. Tom Morgan of the Nature Club said.",
            "2020-01-02",
        );
        assert_eq!(s[0].1.as_deref(), Some("Tom Morgan"));
        let s = statements("Ann Lee of Relief Harbor said the aid was late.", "2020-01-02");
        assert_eq!(s[0].1.as_deref(), Some("Ann Lee"));
        let s = statements("The Bank of Norway said rates would rise.", "2020-01-02");
        assert_eq!(s[0].1.as_deref(), Some("Bank of Norway"));
    }

    #[test]
    fn a_passive_with_its_agent_credits_the_agent() {
        let s = statements("The new tariff was announced by the ministry on Monday.", "2020-01-02");
        assert_eq!(s[0].0, "The new tariff");
        assert_eq!(s[0].1.as_deref(), Some("ministry"));
        let s = statements("The story was first reported by Ann Lee.", "2020-01-02");
        assert_eq!(s[0].1.as_deref(), Some("Ann Lee"));
        // Told what to do is not a statement by the one told.
        assert!(statements("He was told by his doctor to rest.", "2020-01-02").is_empty());
    }

    #[test]
    fn i_outside_quotations_is_the_author() {
        let mut a = article("I said at the time that the plan would fail.", "2020-01-02");
        assert_eq!(extract(&a)[0].speaker, None);
        a.author = Some("Ann Lee".into());
        assert_eq!(extract(&a)[0].speaker.as_deref(), Some("Ann Lee"));
    }
}
