//! Which speaker a statement is by, as the index tells speakers apart: a name, and
//! whether it is *unnamed* (a group or description the article never names:
//! "analysts", "a senior diplomat"). The unnamed "analysts" and a person called
//! "Analysts" are two speakers; a person and an organization of the same name are
//! one (the extractor may type one name differently in two articles), shown with
//! the type most of its statements have.
//!
//! - [`key`]: the 64-bit key stored with each statement (`speaker_key` column),
//!   different for a named and an unnamed speaker of the same name.
//! - [`label`]: how a speaker is shown: "unnamed: analysts", or the name.
//! - [`Wanted`]: a `--speaker` value, where "unnamed: analysts" asks for the unnamed one.
//! - [`TypeCounts`]: statements per type, for the type a named speaker is shown with.
//!
//! Known limits: statements indexed without a type (written by hand, or by an
//! older extractor) count as named; two names with the same 64-bit key would be one
//! speaker.

use crate::fnv::Fnv1a;
use crate::statement::SpeakerType;

/// What [`label`] puts before an unnamed speaker's description, and what a
/// `--speaker` value starts with to ask for one.
pub const UNNAMED_PREFIX: &str = "unnamed: ";

/// The `speaker_key` of a speaker: FNV-1a of the name's bytes (stable across builds
/// and platforms, as a value stored in the index must be); for an unnamed speaker,
/// of a 0xFF byte and the name's bytes, which no UTF-8 name begins with.
pub fn key(name: &str, unnamed: bool) -> u64 {
    let mut h = Fnv1a::new();
    if unnamed {
        h.feed(&[0xFF]);
    }
    h.feed(name.as_bytes());
    h.0
}

/// Whether a statement of type `ty` has an unnamed speaker.
pub fn is_unnamed(ty: Option<SpeakerType>) -> bool {
    ty == Some(SpeakerType::Unnamed)
}

/// How a speaker is shown to people: "unnamed: analysts" for an unnamed speaker,
/// else the name as it is.
pub fn label(name: &str, ty: Option<SpeakerType>) -> String {
    if is_unnamed(ty) {
        format!("{UNNAMED_PREFIX}{name}")
    } else {
        name.to_string()
    }
}

/// A type as the index stores it (`SpeakerType::as_str`); None for anything else.
pub fn parse_type(text: &str) -> Option<SpeakerType> {
    [SpeakerType::Person, SpeakerType::Organization, SpeakerType::Unnamed]
        .into_iter()
        .find(|t| t.as_str().eq_ignore_ascii_case(text.trim()))
}

/// A speaker a user asked for (`--speaker`, the web app's `speaker`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted<'a> {
    /// The name, without any "unnamed:" prefix, trimmed.
    pub name: &'a str,
    /// Given as "unnamed: NAME": only the unnamed speaker of that name.
    pub unnamed: bool,
}

impl<'a> Wanted<'a> {
    /// "unnamed: analysts" (any case, any spaces after the colon) asks for the
    /// unnamed "analysts"; anything else for a speaker of that name.
    pub fn parse(text: &'a str) -> Wanted<'a> {
        let text = text.trim();
        let prefix = UNNAMED_PREFIX.trim_end();
        match text.get(..prefix.len()) {
            Some(head) if head.eq_ignore_ascii_case(prefix) => {
                Wanted { name: text[prefix.len()..].trim(), unnamed: true }
            }
            _ => Wanted { name: text, unnamed: false },
        }
    }
}

/// Statements per speaker type, to show a named speaker with the type most of its
/// statements have.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TypeCounts {
    pub person: u64,
    pub organization: u64,
    pub unnamed: u64,
    /// Statements with a speaker but no type.
    pub untyped: u64,
}

impl TypeCounts {
    pub fn add(&mut self, ty: Option<SpeakerType>, n: u64) {
        match ty {
            Some(SpeakerType::Person) => self.person += n,
            Some(SpeakerType::Organization) => self.organization += n,
            Some(SpeakerType::Unnamed) => self.unnamed += n,
            None => self.untyped += n,
        }
    }

    pub fn merge(&mut self, other: &TypeCounts) {
        self.person += other.person;
        self.organization += other.organization;
        self.unnamed += other.unnamed;
        self.untyped += other.untyped;
    }

    /// The type to show: unnamed when any statement is (an unnamed speaker's
    /// statements all are: the key says so); else person or organization, whichever
    /// has more statements (person on a tie); None when no statement has a type.
    pub fn shown(&self) -> Option<SpeakerType> {
        if self.unnamed > 0 {
            Some(SpeakerType::Unnamed)
        } else if self.person == 0 && self.organization == 0 {
            None
        } else if self.person >= self.organization {
            Some(SpeakerType::Person)
        } else {
            Some(SpeakerType::Organization)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_named_speakers_are_fnv1a_of_the_name_and_unnamed_ones_differ() {
        // Published FNV-1a test vectors: a stored key must never change with a build.
        assert_eq!(key("", false), 0xcbf2_9ce4_8422_2325);
        assert_eq!(key("a", false), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(key("foobar", false), 0x8594_4171_f739_67e8);
        assert_ne!(key("Ann Lee", false), key("Ann  Lee", false));
        assert_ne!(key("analysts", false), key("analysts", true));
        assert_eq!(key("analysts", true), key("analysts", true));
    }

    #[test]
    fn unnamed_speakers_are_labelled_as_such() {
        assert_eq!(label("analysts", Some(SpeakerType::Unnamed)), "unnamed: analysts");
        assert_eq!(label("Ann Lee", Some(SpeakerType::Person)), "Ann Lee");
        assert_eq!(label("Reuters", Some(SpeakerType::Organization)), "Reuters");
        assert_eq!(label("Ann Lee", None), "Ann Lee");
    }

    #[test]
    fn a_wanted_speaker_may_ask_for_the_unnamed_one() {
        assert_eq!(Wanted::parse("unnamed: analysts"), Wanted { name: "analysts", unnamed: true });
        assert_eq!(
            Wanted::parse(" Unnamed:officials "),
            Wanted { name: "officials", unnamed: true }
        );
        assert_eq!(Wanted::parse("Jo Baker"), Wanted { name: "Jo Baker", unnamed: false });
        assert_eq!(Wanted::parse("unnamed"), Wanted { name: "unnamed", unnamed: false });
        assert_eq!(Wanted::parse("é"), Wanted { name: "é", unnamed: false });
    }

    #[test]
    fn the_shown_type_is_the_majority_and_never_person_for_unnamed() {
        let mut t = TypeCounts::default();
        assert_eq!(t.shown(), None);
        t.add(None, 3);
        assert_eq!(t.shown(), None);
        t.add(Some(SpeakerType::Organization), 2);
        t.add(Some(SpeakerType::Person), 1);
        assert_eq!(t.shown(), Some(SpeakerType::Organization));
        t.add(Some(SpeakerType::Person), 1);
        assert_eq!(t.shown(), Some(SpeakerType::Person), "person on a tie");
        let mut u = TypeCounts::default();
        u.add(Some(SpeakerType::Unnamed), 1);
        u.merge(&t);
        assert_eq!(u.shown(), Some(SpeakerType::Unnamed));
        assert_eq!(parse_type("Unnamed"), Some(SpeakerType::Unnamed));
        assert_eq!(parse_type("people"), None);
    }
}
