//! Automata the term dictionary is walked with (tantivy's dictionary is an
//! FST: a walk visits only the branches an automaton can still match).
//!
//! Length-keyed terms (`0007vim x11`, see `index::by_len`) come out in
//! (length, name) order: [`ByLength`] wrapped around [`Levenshtein`] looks
//! for typos only among names of about the query's length. (Prefixes are
//! looked up as one term range per length, `Snapshot::prefix_by_length`:
//! walking every length's branch with an automaton visits far more nodes.)
use levenshtein_automata::{Distance, DFA, SINK_STATE};
use tantivy_fst::Automaton;

/// Digits in a length key.
pub const LENGTH_DIGITS: u32 = 4;

/// Terms whose four-digit length is within `lo..=hi`, and whose rest
/// `inner` accepts.
pub struct ByLength<A> {
    pub lo: u32,
    pub hi: u32,
    pub inner: A,
}

#[derive(Clone, Debug)]
pub enum LengthState<S> {
    Digits { read: u32, value: u32 },
    Rest(S),
    Dead,
}

impl<A: Automaton> Automaton for ByLength<A>
where
    A::State: Clone,
{
    type State = LengthState<A::State>;

    fn start(&self) -> Self::State {
        LengthState::Digits { read: 0, value: 0 }
    }

    fn is_match(&self, state: &Self::State) -> bool {
        matches!(state, LengthState::Rest(s) if self.inner.is_match(s))
    }

    fn can_match(&self, state: &Self::State) -> bool {
        match state {
            LengthState::Dead => false,
            LengthState::Rest(s) => self.inner.can_match(s),
            // Some completion of the digits read so far is in range.
            LengthState::Digits { read, value } => {
                let scale = 10u32.pow(LENGTH_DIGITS - read);
                value * scale <= self.hi && value * scale + scale > self.lo
            }
        }
    }

    fn accept(&self, state: &Self::State, byte: u8) -> Self::State {
        match state {
            LengthState::Digits { read, value } if byte.is_ascii_digit() => {
                let value = value * 10 + u32::from(byte - b'0');
                match read + 1 {
                    LENGTH_DIGITS if (self.lo..=self.hi).contains(&value) => LengthState::Rest(self.inner.start()),
                    LENGTH_DIGITS => LengthState::Dead,
                    read => LengthState::Digits { read, value },
                }
            }
            LengthState::Rest(s) => LengthState::Rest(self.inner.accept(s, byte)),
            _ => LengthState::Dead,
        }
    }
}

/// Terms starting with `lead` (the query's first character: a typo there
/// is rare, and the walk then skips every other branch) and within the
/// DFA's edit distance of its query.
pub struct Levenshtein<'a> {
    pub dfa: &'a DFA,
    pub lead: &'a [u8],
}

impl Automaton for Levenshtein<'_> {
    /// The DFA's state, and how many bytes were read.
    type State = (u32, usize);

    fn start(&self) -> Self::State {
        (self.dfa.initial_state(), 0)
    }

    fn is_match(&self, state: &Self::State) -> bool {
        state.1 >= self.lead.len() && matches!(self.dfa.distance(state.0), Distance::Exact(_))
    }

    fn can_match(&self, state: &Self::State) -> bool {
        state.0 != SINK_STATE
    }

    fn accept(&self, &(dfa, read): &Self::State, byte: u8) -> Self::State {
        match self.lead.get(read) {
            Some(lead) if *lead != byte => (SINK_STATE, read + 1),
            _ => (self.dfa.transition(dfa, byte), read + 1),
        }
    }
}

/// The bytes of a string's first character.
pub fn lead(text: &str) -> &[u8] {
    &text.as_bytes()[..text.chars().next().map_or(0, char::len_utf8)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run<A: Automaton>(a: &A, text: &str) -> bool
    where
        A::State: Clone,
    {
        let mut state = a.start();
        for b in text.bytes() {
            if !a.can_match(&state) {
                return false;
            }
            state = a.accept(&state, b);
        }
        a.is_match(&state)
    }

    #[test]
    fn typos_within_the_distance() {
        let dfa = levenshtein_automata::LevenshteinAutomatonBuilder::new(1, false).build_dfa("gimp");
        let a = ByLength { lo: 3, hi: 5, inner: Levenshtein { dfa: &dfa, lead: lead("gimp") } };
        assert!(run(&a, "0004gimp"));
        assert!(run(&a, "0004gamp"));
        assert!(run(&a, "0005gimps"));
        assert!(!run(&a, "0004gmip"), "a transposition is two edits");
        assert!(!run(&a, "0004jimp"), "the first character is not a typo");
        assert!(!run(&a, "0006gimpxx"));
        assert!(!run(&a, "00x4gimp"));
        assert!(!a.can_match(&a.accept(&a.accept(&a.start(), b'1'), b'0')), "10xx is out of range");
        assert_eq!(lead("évian"), "é".as_bytes());
        assert_eq!(lead(""), b"");
    }
}
