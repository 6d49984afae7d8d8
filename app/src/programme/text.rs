//! The free text's matches while a visitor types: each keystroke narrows the matches of an
//! earlier text rather than reading every event's text again.
//!
//! An event matches a text when each of its terms ([`query_terms`](super::fold::query_terms))
//! begins a word of the event's folded text ([`Haystack::matches`]). If every term `c` of an
//! earlier text is the beginning of some term `t` of the new one, then wherever `t` begins a
//! word `c` does too: the new matches are among the earlier ones, and only those need
//! reading. Typing a letter, a word or a space gives such a text; deleting gives back a text
//! seen a moment before, whose matches are kept ([`RECENT`] texts). Any other text (the first
//! two letters typed, a pasted word, a letter changed in the middle) reads only the events
//! that have a word beginning with the first two bytes of one of its terms, listed once per
//! catalogue ([`WordStarts`]). The matches are the same whichever way they were found:
//! `tests` proves it against the full scan on random catalogues and random typing.
use super::fold::Haystack;

/// How many texts' matches are kept: the steps of a word typed then deleted, and a few
/// searches before it.
pub const RECENT: usize = 24;

/// The events (indexes into the haystacks, in order) whose text every term begins a word of:
/// the definition, reading every haystack.
pub fn full_scan(haystacks: &[Haystack], terms: &[String]) -> Vec<u32> {
    (0..haystacks.len() as u32)
        .filter(|&i| haystacks[i as usize].matches(terms))
        .collect()
}

/// Whether whatever matches `new` also matches `earlier`: each earlier term begins a new one.
fn narrows(new: &[String], earlier: &[String]) -> bool {
    earlier
        .iter()
        .all(|c| new.iter().any(|t| t.starts_with(c.as_str())))
}

/// For each pair of bytes, the events (in order) that have a word beginning with it. A term
/// (two letters at least, no space) begins a word only there: of its event's words, only
/// those beginning with the term's first two bytes may.
#[derive(Debug)]
pub struct WordStarts {
    /// The events of pair `k` are `events[ends[k - 1]..ends[k]]` (`ends[-1]` being 0).
    ends: Vec<u32>,
    events: Vec<u32>,
}

const PAIRS: usize = 1 << 16;

/// The pair of bytes that begins `word`, if it has two.
fn pair(word: &[u8]) -> Option<usize> {
    match word {
        [a, b, ..] => Some((*a as usize) << 8 | *b as usize),
        _ => None,
    }
}

impl WordStarts {
    pub fn new(haystacks: &[Haystack]) -> Self {
        // Each word's pair, once per event: counted, then placed (a counting sort).
        let each_pair = |visit: &mut dyn FnMut(usize, u32)| {
            let mut last = vec![u32::MAX; PAIRS];
            for (i, haystack) in haystacks.iter().enumerate() {
                let bytes = haystack.folded().as_bytes();
                for at in 1..bytes.len() {
                    if bytes[at - 1] == b' ' {
                        if let Some(k) = pair(&bytes[at..]) {
                            if last[k] != i as u32 {
                                last[k] = i as u32;
                                visit(k, i as u32);
                            }
                        }
                    }
                }
            }
        };
        let mut ends = vec![0u32; PAIRS];
        each_pair(&mut |k, _| ends[k] += 1);
        let mut total = 0;
        for end in &mut ends {
            total += *end;
            *end = total;
        }
        let mut events = vec![0u32; total as usize];
        let mut next: Vec<u32> = std::iter::once(0)
            .chain(ends[..PAIRS - 1].iter().copied())
            .collect();
        each_pair(&mut |k, i| {
            events[next[k] as usize] = i;
            next[k] += 1;
        });
        WordStarts { ends, events }
    }

    /// The events that have a word beginning with the first two bytes of `term`; `None` when
    /// it has fewer (no term of a query has).
    fn of(&self, term: &str) -> Option<&[u32]> {
        let k = pair(term.as_bytes())?;
        let first = if k == 0 { 0 } else { self.ends[k - 1] as usize };
        Some(&self.events[first..self.ends[k] as usize])
    }
}

/// The matches of recent texts, the latest last, and where any text's matches are.
#[derive(Debug)]
pub struct TextMatches {
    starts: WordStarts,
    recent: Vec<(Vec<String>, Vec<u32>)>,
}

impl TextMatches {
    /// For these events' texts.
    pub fn new(haystacks: &[Haystack]) -> Self {
        TextMatches {
            starts: WordStarts::new(haystacks),
            recent: Vec::new(),
        }
    }

    /// The events that `terms` match, as [`full_scan`] finds them, `haystacks` being those
    /// this was made for.
    pub fn matches(&mut self, haystacks: &[Haystack], terms: &[String]) -> &[u32] {
        // The kept matches that include the new ones; the fewest.
        let earlier = self
            .recent
            .iter()
            .enumerate()
            .filter(|(_, (kept, _))| narrows(terms, kept))
            .min_by_key(|(_, (_, found))| found.len())
            .map(|(i, _)| i);
        // The same terms (or terms that match the same: each begins one of the other's).
        if let Some(i) = earlier.filter(|i| narrows(&self.recent[*i].0, terms)) {
            let entry = self.recent.remove(i);
            self.recent.push(entry);
            return &self.recent[self.recent.len() - 1].1;
        }
        // The events with a word beginning as a term does: those of the rarest pair.
        let by_pair = terms
            .iter()
            .filter_map(|t| self.starts.of(t))
            .min_by_key(|events| events.len());
        let found = match (earlier, by_pair) {
            (Some(i), by_pair)
                if by_pair.is_none_or(|events| self.recent[i].1.len() <= events.len()) =>
            {
                let (kept, candidates) = &self.recent[i];
                // The terms that an earlier one begins with are matched already.
                let left: Vec<String> = terms
                    .iter()
                    .filter(|t| !kept.iter().any(|c| c.starts_with(t.as_str())))
                    .cloned()
                    .collect();
                candidates
                    .iter()
                    .copied()
                    .filter(|&i| haystacks[i as usize].matches(&left))
                    .collect()
            }
            (_, Some(events)) => events
                .iter()
                .copied()
                .filter(|&i| haystacks[i as usize].matches(terms))
                .collect(),
            (_, None) => full_scan(haystacks, terms),
        };
        if self.recent.len() >= RECENT {
            self.recent.remove(0);
        }
        self.recent.push((terms.to_vec(), found));
        &self.recent[self.recent.len() - 1].1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::programme::fold::query_terms;
    use proptest::prelude::*;

    fn haystacks(texts: &[(&str, &str)]) -> Vec<Haystack> {
        texts
            .iter()
            .map(|(title, summary)| Haystack::new(&[title, summary]))
            .collect()
    }

    #[test]
    fn typing_narrows_and_deleting_finds_the_earlier_matches() {
        let h = haystacks(&[
            ("Atelier numérique", "Données et IA"),
            ("Ateliers de l'égalité", "Femmes-hommes"),
            ("Webinaire", "L'accueil des usagers"),
            ("Exposition", "Numérique responsable"),
        ]);
        let mut m = TextMatches::new(&h);
        let mut typed = |text: &str| m.matches(&h, &query_terms(text)).to_vec();
        assert_eq!(typed("at"), [0, 1]);
        assert_eq!(typed("atelier"), [0, 1]);
        assert_eq!(typed("atelier num"), [0]);
        assert_eq!(typed("atelier"), [0, 1]);
        assert_eq!(typed("numerique"), [0, 3], "not a narrowing: read again");
        assert_eq!(typed("Numériques"), [0, 3]);
        assert_eq!(typed("usagers l'accueil"), [2]);
        assert_eq!(typed("zz"), Vec::<u32>::new());
        assert_eq!(typed("atelier"), [0, 1]);
    }

    #[test]
    fn only_recent_texts_are_kept() {
        let h = haystacks(&[("Atelier", "")]);
        let mut m = TextMatches::new(&h);
        for i in 0..RECENT * 2 {
            m.matches(&h, &query_terms(&format!("at{i}")));
        }
        assert_eq!(m.recent.len(), RECENT);
    }

    /// What a visitor does to the search box, one step at a time.
    #[derive(Debug, Clone)]
    enum Edit {
        /// Types one character at the end.
        Type(char),
        /// Deletes the last `n` characters.
        Delete(usize),
        /// Deletes or types in the middle: at `at` (modulo the length) one character.
        Insert(usize, char),
        Remove(usize),
        /// Replaces the whole text (pasted, or the field emptied).
        Replace(String),
    }

    /// Letters that fold alike or not, accents, ligatures, separators and plural marks.
    const ALPHABET: &[char] = &[
        'a', 't', 'e', 'l', 'i', 'r', 's', 'x', 'n', 'u', 'm', 'o', 'd', 'é', 'É', 'è', 'œ', 'Œ',
        'à', 'ç', 'I', ' ', ' ', '\'', '-', ',', '2', 'ł', 'Σ', 'σ',
    ];

    fn character() -> impl Strategy<Value = char> {
        proptest::sample::select(ALPHABET)
    }

    fn words(max: usize) -> impl Strategy<Value = String> {
        proptest::collection::vec(character(), 0..max).prop_map(|c| c.into_iter().collect())
    }

    /// Words of the programme, so that typed texts often begin them.
    fn phrase(max: usize) -> impl Strategy<Value = String> {
        let vocabulary = vec![
            "Atelier",
            "ateliers",
            "atelier-numérique",
            "égalité",
            "Egalite",
            "Données",
            "numérique",
            "l'accueil",
            "d'usagers",
            "œuvre",
            "OEUVRE",
            "a",
            "de",
            "des",
            "Île-de-France",
            "Saint-Étienne",
            "2026",
            "IA",
            "réunion",
            "Réunions",
            "x",
        ];
        proptest::collection::vec(proptest::sample::select(vocabulary), 0..max)
            .prop_map(|w| w.join(" "))
    }

    fn text(max: usize) -> impl Strategy<Value = String> {
        prop_oneof![words(max * 3), phrase(max)]
    }

    fn edit() -> impl Strategy<Value = Edit> {
        prop_oneof![
            6 => character().prop_map(Edit::Type),
            3 => (1usize..4).prop_map(Edit::Delete),
            1 => (any::<usize>(), character()).prop_map(|(at, c)| Edit::Insert(at, c)),
            1 => any::<usize>().prop_map(Edit::Remove),
            1 => text(3).prop_map(Edit::Replace),
        ]
    }

    fn apply(text: &mut Vec<char>, edit: &Edit) {
        match edit {
            Edit::Type(c) => text.push(*c),
            Edit::Delete(n) => text.truncate(text.len().saturating_sub(*n)),
            Edit::Insert(at, c) => text.insert(at % (text.len() + 1), *c),
            Edit::Remove(at) => {
                if !text.is_empty() {
                    text.remove(at % text.len());
                }
            }
            Edit::Replace(s) => *text = s.chars().collect(),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// Random catalogues' texts, random typing, deleting and editing: at every step the
        /// kept and narrowed matches are those of the full scan.
        #[test]
        fn incremental_matches_are_the_full_scans(
            texts in proptest::collection::vec((text(6), text(12)), 0..40),
            edits in proptest::collection::vec(edit(), 1..60),
        ) {
            let texts: Vec<(&str, &str)> = texts.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            let h = haystacks(&texts);
            let mut m = TextMatches::new(&h);
            let mut text = Vec::new();
            for edit in &edits {
                apply(&mut text, edit);
                let typed: String = text.iter().collect();
                let terms = query_terms(&typed);
                if terms.is_empty() {
                    continue;
                }
                let expected = full_scan(&h, &terms);
                prop_assert_eq!(m.matches(&h, &terms), expected.as_slice(), "{:?}", typed);
            }
        }
    }
}
