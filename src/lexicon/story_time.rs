//! The rules of the story's own timeline, from `data/rules/story-time.txt`: the
//! order in which a statement's date is looked for past its own words, the bounds of
//! a plausible date, and the words that set or break the time the narration is at.
//!
//! Known limits: a line with an unknown key or a bad value is an error at load time
//! (a test loads the file), not skipped: a typo would silently change dates.

use super::{lines, WordSet};

/// One rule that dates a statement whose own words name no day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The statement it continues (a quotation that goes on).
    Continuation,
    /// The day an earlier sentence of its paragraph set.
    Paragraph,
    /// The statement just before it by the same speaker, dated from text or context.
    SameSpeaker,
    /// The day the story's first paragraph set.
    Lede,
    /// The dateline's day.
    Dateline,
    /// The publication day.
    Article,
}

impl Step {
    fn parse(s: &str) -> Result<Step, String> {
        Ok(match s {
            "continuation" => Step::Continuation,
            "paragraph" => Step::Paragraph,
            "same-speaker" => Step::SameSpeaker,
            "lede" => Step::Lede,
            "dateline" => Step::Dateline,
            "article" => Step::Article,
            _ => return Err(format!("unknown step {s:?} in order:")),
        })
    }
}

/// The parsed file.
pub struct StoryTime {
    pub order: Vec<Step>,
    /// A date more days than this after the article is rejected.
    pub max_days_after: i64,
    /// A date more years than this before the article is rejected.
    pub max_years_before: i16,
    /// A day named mid-sentence sets the story's time only this close before the
    /// reference day.
    pub max_setting_days_before: i64,
    /// "on", "late": words that lead or join time expressions.
    pub links: WordSet,
    /// "morning", "evening" after a weekday.
    pub day_parts: WordSet,
    /// "is", "are": before a cue in "-ing", the present.
    pub present: WordSet,
    /// "had": just before a cue, said before the story's time.
    pub break_before_cue: WordSet,
    /// "earlier", "formerly": next to a cue or opening a sentence, off the story's time.
    pub breaks: WordSet,
    /// "who", "which": between a speaker and the cue, open a clause about the speaker.
    pub aside: WordSet,
    /// "at", "during": open a sentence's scene ("At a rally on Monday, …").
    pub scene: WordSet,
    /// A body with no paragraph breaks and more sentences than this is flat.
    pub flat_after: usize,
    /// A flat body is read as paragraphs of this many sentences.
    pub flat_paragraph: usize,
}

impl StoryTime {
    /// Parses the file's text; any line it cannot read is an error.
    pub fn parse(file: &str) -> Result<StoryTime, String> {
        let mut order = Vec::new();
        let (mut after, mut before, mut setting) = (None, None, None);
        let (mut flat_after, mut flat_paragraph) = (None, None);
        let count = |n: i64| usize::try_from(n).ok().filter(|&n| n > 0);
        let mut words: [Vec<String>; 7] = Default::default();
        for line in lines(file) {
            let (key, value) = line.split_once(':').ok_or_else(|| format!("no key: {line:?}"))?;
            let value = value.trim();
            let number = || value.parse::<i64>().map_err(|_| format!("not a number: {line:?}"));
            let list = match key.trim() {
                "order" => {
                    order = value.split_whitespace().map(Step::parse).collect::<Result<_, _>>()?;
                    continue;
                }
                "max-days-after" => {
                    after = Some(number()?);
                    continue;
                }
                "max-years-before" => {
                    let n = number()?;
                    before = Some(i16::try_from(n).map_err(|_| format!("too large: {line:?}"))?);
                    continue;
                }
                "max-setting-days-before" => {
                    setting = Some(number()?);
                    continue;
                }
                "flat-after" => {
                    flat_after = Some(count(number()?).ok_or(format!("not a count: {line:?}"))?);
                    continue;
                }
                "flat-paragraph" => {
                    let n = count(number()?).ok_or(format!("not a count: {line:?}"))?;
                    flat_paragraph = Some(n);
                    continue;
                }
                "link" => 0,
                "day-part" => 1,
                "present" => 2,
                "break-before-cue" => 3,
                "break" => 4,
                "aside" => 5,
                "scene" => 6,
                other => return Err(format!("unknown key {other:?}")),
            };
            words[list].extend(value.split_whitespace().map(str::to_lowercase));
        }
        let [links, day_parts, present, break_before_cue, breaks, aside, scene] =
            words.map(|w| WordSet::new(w.into_iter().collect()));
        let missing = |what: &str| format!("no {what} line");
        if order.is_empty() {
            return Err(missing("order:"));
        }
        Ok(StoryTime {
            order,
            max_days_after: after.ok_or_else(|| missing("max-days-after:"))?,
            max_years_before: before.ok_or_else(|| missing("max-years-before:"))?,
            max_setting_days_before: setting.ok_or_else(|| missing("max-setting-days-before:"))?,
            links,
            day_parts,
            present,
            break_before_cue,
            breaks,
            aside,
            scene,
            flat_after: flat_after.ok_or_else(|| missing("flat-after:"))?,
            flat_paragraph: flat_paragraph.ok_or_else(|| missing("flat-paragraph:"))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_file_parses() {
        let st = StoryTime::parse(super::super::STORY_TIME).unwrap();
        assert_eq!(st.order.first(), Some(&Step::Continuation));
        assert_eq!(st.order.last(), Some(&Step::Article));
        assert_eq!(st.max_days_after, 7);
        assert!(st.links.has("on") && st.day_parts.has("morning") && st.present.has("is"));
        assert!(st.break_before_cue.has("had") && st.breaks.has("Earlier"));
        assert!(st.aside.has("who") && st.scene.has("At"));
    }

    #[test]
    fn a_bad_line_is_an_error_not_skipped() {
        let ok = "order: lede article\nmax-days-after: 7\nmax-years-before: 20\n\
                  max-setting-days-before: 7\nflat-after: 5\nflat-paragraph: 3\n";
        assert!(StoryTime::parse(ok).is_ok());
        for bad in ["order: lede artcle", "max-days-after: seven", "brake: had", "no colon"] {
            assert!(StoryTime::parse(&format!("{ok}{bad}\n")).is_err(), "{bad}");
        }
        assert!(StoryTime::parse("max-days-after: 7").is_err());
    }
}
