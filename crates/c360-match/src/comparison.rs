//! Field comparisons and their levels.
//!
//! Every comparison sorts a pair into one level, best first; level 0 always
//! means "one side is missing" and carries no weight. Which level a pair falls
//! in is pure string work: the [`crate::model`] turns levels into evidence.

use crate::names::{is_prefix_of_other, same_compact_form, tokens_within};
use crate::nicknames::Nicknames;
use crate::prepared::{PreparedRecord, Slot};
use crate::record::DateParts;
use crate::similarity::{jaro_winkler, within_one_edit};

/// Most levels any comparison has.
pub const MAX_LEVELS: usize = 9;

/// Index of a comparison in [`COMPARISONS`].
pub type ComparisonId = usize;

/// The level of every comparison for one pair.
pub type Levels = [u8; COMPARISONS.len()];

/// Level 0 of every comparison.
pub const MISSING: u8 = 0;
/// Level 1 of every comparison.
pub const EXACT: u8 = 1;

/// One comparison: a field and how its agreement is graded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comparison {
    pub name: &'static str,
    /// Level names, index = level.
    pub levels: &'static [&'static str],
    /// The slot whose value frequency adjusts the exact level's weight (a
    /// shared rare surname says more than a shared "smith").
    pub term_frequency: Option<Slot>,
}

pub const GIVEN_NAME: ComparisonId = 0;
pub const FAMILY_NAME: ComparisonId = 1;
pub const BIRTH_DATE: ComparisonId = 2;
pub const NATIONAL_ID: ComparisonId = 3;
pub const EMAIL: ComparisonId = 4;
pub const PHONE: ComparisonId = 5;
pub const STREET_NUMBER: ComparisonId = 6;
pub const STREET: ComparisonId = 7;
pub const ADDRESS_EXTRA: ComparisonId = 8;
pub const LOCALITY: ComparisonId = 9;
pub const POSTCODE: ComparisonId = 10;
pub const REGION: ComparisonId = 11;
pub const COMPANY: ComparisonId = 12;

pub mod level {
    // given and family names
    pub const NICKNAME: u8 = 2;
    pub const GIVEN_JW92: u8 = 3;
    pub const GIVEN_SOUNDS_ALIKE: u8 = 4;
    pub const GIVEN_PREFIX: u8 = 5;
    pub const GIVEN_JW80: u8 = 6;
    pub const GIVEN_SWAPPED: u8 = 7;
    pub const GIVEN_ELSE: u8 = 8;
    pub const FAMILY_JW92: u8 = 2;
    pub const FAMILY_SOUNDS_ALIKE: u8 = 3;
    pub const FAMILY_PARTIAL: u8 = 4;
    pub const FAMILY_JW80: u8 = 5;
    pub const FAMILY_ELSE: u8 = 6;
    // dates
    pub const DATE_TRANSPOSED: u8 = 2;
    pub const DATE_ONE_PART: u8 = 3;
    // identifiers and postcodes
    pub const ID_ONE_EDIT: u8 = 2;
    // e-mails
    pub const EMAIL_LOCAL_PART: u8 = 2;
    pub const EMAIL_DIFFERENT: u8 = 3;
    pub const DATE_ELSE: u8 = 4;
    // street lines
    pub const STREET_JW92: u8 = 2;
    pub const STREET_JW80: u8 = 3;
    pub const STREET_SWAPPED: u8 = 4;
    pub const STREET_DIFFERENT: u8 = 5;
}

/// The comparisons, in [`Levels`] order.
pub const COMPARISONS: [Comparison; 13] = [
    Comparison {
        name: "given_name",
        levels: &[
            "missing",
            "exact",
            "nickname",
            "jaro_winkler>=0.92",
            "sounds_alike",
            "initial_or_prefix",
            "jaro_winkler>=0.80",
            "swapped_given_and_family_names",
            "different",
        ],
        term_frequency: Some(Slot::Given),
    },
    Comparison {
        name: "family_name",
        levels: &[
            "missing",
            "exact",
            "jaro_winkler>=0.92",
            "sounds_alike",
            "one_name_within_other",
            "jaro_winkler>=0.80",
            "different",
        ],
        term_frequency: Some(Slot::Family),
    },
    Comparison {
        name: "birth_date",
        levels: &[
            "missing",
            "exact",
            "day_month_transposed",
            "one_part_differs",
            "different",
        ],
        term_frequency: None,
    },
    Comparison {
        name: "national_id",
        levels: &["missing", "exact", "one_edit", "different"],
        term_frequency: None,
    },
    Comparison {
        name: "email",
        levels: &["missing", "exact", "same_local_part", "different"],
        term_frequency: None,
    },
    Comparison {
        name: "phone",
        levels: &["missing", "exact", "different"],
        term_frequency: None,
    },
    Comparison {
        name: "street_number",
        levels: &["missing", "exact", "different"],
        term_frequency: None,
    },
    Comparison {
        name: "street",
        levels: &[
            "missing",
            "exact",
            "jaro_winkler>=0.92",
            "jaro_winkler>=0.80",
            "swapped_with_address_line_2",
            "different",
        ],
        term_frequency: Some(Slot::Street),
    },
    Comparison {
        name: "address_extra",
        levels: &["missing", "exact", "jaro_winkler>=0.88", "different"],
        term_frequency: None,
    },
    Comparison {
        name: "locality",
        levels: &["missing", "exact", "jaro_winkler>=0.92", "different"],
        term_frequency: Some(Slot::Locality),
    },
    Comparison {
        name: "postcode",
        levels: &["missing", "exact", "one_edit", "different"],
        term_frequency: Some(Slot::Postcode),
    },
    Comparison {
        name: "region",
        levels: &["missing", "exact", "different"],
        term_frequency: None,
    },
    Comparison {
        name: "company",
        levels: &["missing", "exact", "jaro_winkler>=0.90", "different"],
        term_frequency: None,
    },
];

/// Compares two prepared records field by field.
pub fn compare(left: &PreparedRecord, right: &PreparedRecord, nicknames: &Nicknames) -> Levels {
    let mut swap = SwapCheck::default();
    let (locality, postcode, region) = place_levels(left, right);
    let (street, address_extra) = address_levels(left, right);
    [
        given_level(left, right, nicknames, &mut swap),
        family_level(left, right, &mut swap),
        date_level(left.birth, right.birth),
        id_level(left.get(Slot::NationalId), right.get(Slot::NationalId)),
        email_level(left, right),
        phone_level(left, right),
        exact_level(left.get(Slot::StreetNumber), right.get(Slot::StreetNumber)),
        street,
        address_extra,
        locality,
        postcode,
        region,
        banded_level(left.get(Slot::Company), right.get(Slot::Company), &[0.90]),
    ]
}

/// Postcode, locality and region levels. They are not independent evidence:
/// one postcode lies in one town, one town in one region, and counting all
/// three would triple one fact ("both live in Istanbul") and link strangers
/// who share a family name and a city. So a coarser field speaks only where
/// the finer ones leave room: the locality when the postcodes do not agree
/// exactly (a typo or a missing postcode), the region only when neither
/// postcodes nor localities can be compared at all.
fn place_levels(left: &PreparedRecord, right: &PreparedRecord) -> (u8, u8, u8) {
    let postcode = id_level(left.get(Slot::Postcode), right.get(Slot::Postcode));
    let locality = if postcode == EXACT {
        MISSING
    } else {
        banded_level(left.get(Slot::Locality), right.get(Slot::Locality), &[0.92])
    };
    let comparable = |slot: Slot| !left.get(slot).is_empty() && !right.get(slot).is_empty();
    let region = if comparable(Slot::Postcode) || comparable(Slot::Locality) {
        MISSING
    } else {
        exact_level(left.get(Slot::Region), right.get(Slot::Region))
    };
    (locality, postcode, region)
}

/// Street and second-address-line levels. Exports disagree on which line
/// holds the street ("Flat 3" / "12 High St" in one system, the other way
/// round in the next), so a street that disagrees with (or is missing from)
/// the other record but is close to its second line counts as the same
/// address written swapped; the second line then says nothing more, since
/// the swap has already used it.
fn address_levels(left: &PreparedRecord, right: &PreparedRecord) -> (u8, u8) {
    let (left_street, right_street) = (left.get(Slot::Street), right.get(Slot::Street));
    let (left_extra, right_extra) = (left.get(Slot::Extra), right.get(Slot::Extra));
    // banded_level's last band (2 + thresholds) is "different".
    let street = match banded_level(left_street, right_street, &[0.92, 0.80]) {
        4 => level::STREET_DIFFERENT,
        straight => straight,
    };
    if matches!(street, MISSING | level::STREET_DIFFERENT)
        && (close_enough(left_street, right_extra) || close_enough(left_extra, right_street))
    {
        return (level::STREET_SWAPPED, MISSING);
    }
    (street, banded_level(left_extra, right_extra, &[0.88]))
}

/// Close enough to count as the same value when checking for a swap (of
/// given and family names, of address lines).
fn close_enough(left: &str, right: &str) -> bool {
    !left.is_empty() && !right.is_empty() && (left == right || jaro_winkler(left, right) >= 0.92)
}

/// Whether given and family names are swapped, worked out at most once per
/// pair: both name comparisons may ask, and it costs two Jaro-Winklers.
#[derive(Default)]
struct SwapCheck(Option<bool>);

impl SwapCheck {
    fn swapped(&mut self, left: &PreparedRecord, right: &PreparedRecord) -> bool {
        *self.0.get_or_insert_with(|| {
            close_enough(left.get(Slot::Given), right.get(Slot::Family))
                && close_enough(left.get(Slot::Family), right.get(Slot::Given))
        })
    }
}

fn sounds_alike(left: &str, right: &str, left_skeleton: &str, right_skeleton: &str) -> bool {
    (left_skeleton.len() >= 2 && left_skeleton == right_skeleton) || same_compact_form(left, right)
}

fn given_level(
    left: &PreparedRecord,
    right: &PreparedRecord,
    nicknames: &Nicknames,
    swap: &mut SwapCheck,
) -> u8 {
    let (a, b) = (left.get(Slot::Given), right.get(Slot::Given));
    if a.is_empty() || b.is_empty() {
        return MISSING;
    }
    if a == b {
        return EXACT;
    }
    if left.given_nickname != u32::MAX
        && right.given_nickname != u32::MAX
        && nicknames.equivalent(left.given_nickname, right.given_nickname)
    {
        return level::NICKNAME;
    }
    let similarity = jaro_winkler(a, b);
    if similarity >= 0.92 {
        return level::GIVEN_JW92;
    }
    if sounds_alike(
        a,
        b,
        left.get(Slot::GivenSkeleton),
        right.get(Slot::GivenSkeleton),
    ) {
        return level::GIVEN_SOUNDS_ALIKE;
    }
    if is_prefix_of_other(a, b) {
        return level::GIVEN_PREFIX;
    }
    if similarity >= 0.80 {
        return level::GIVEN_JW80;
    }
    if swap.swapped(left, right) {
        return level::GIVEN_SWAPPED;
    }
    level::GIVEN_ELSE
}

fn family_level(left: &PreparedRecord, right: &PreparedRecord, swap: &mut SwapCheck) -> u8 {
    let (a, b) = (left.get(Slot::Family), right.get(Slot::Family));
    if a.is_empty() || b.is_empty() {
        return MISSING;
    }
    if a == b {
        return EXACT;
    }
    let similarity = jaro_winkler(a, b);
    if similarity >= 0.92 {
        return level::FAMILY_JW92;
    }
    if sounds_alike(
        a,
        b,
        left.get(Slot::FamilySkeleton),
        right.get(Slot::FamilySkeleton),
    ) {
        return level::FAMILY_SOUNDS_ALIKE;
    }
    if tokens_within(a, b) {
        return level::FAMILY_PARTIAL;
    }
    if similarity >= 0.80 {
        return level::FAMILY_JW80;
    }
    // A swap is one piece of evidence, carried by the given-name comparison;
    // counting it here too would double it.
    if swap.swapped(left, right) {
        return MISSING;
    }
    level::FAMILY_ELSE
}

fn date_level(left: u32, right: u32) -> u8 {
    let (Some(a), Some(b)) = (DateParts::unpack(left), DateParts::unpack(right)) else {
        return MISSING;
    };
    if a == b {
        return EXACT;
    }
    if a.year == b.year && a.month == b.day && a.day == b.month {
        return level::DATE_TRANSPOSED;
    }
    let same_parts = usize::from(a.year == b.year)
        + usize::from(a.month == b.month)
        + usize::from(a.day == b.day);
    if same_parts == 2 {
        return level::DATE_ONE_PART;
    }
    level::DATE_ELSE
}

/// Exact / one keying error / different: ids, postcodes.
fn id_level(a: &str, b: &str) -> u8 {
    if a.is_empty() || b.is_empty() {
        MISSING
    } else if a == b {
        EXACT
    } else if within_one_edit(a, b) {
        level::ID_ONE_EDIT
    } else {
        3
    }
}

fn exact_level(a: &str, b: &str) -> u8 {
    if a.is_empty() || b.is_empty() {
        MISSING
    } else if a == b {
        EXACT
    } else {
        2
    }
}

/// Exact, then one level per Jaro-Winkler threshold (descending), then different.
fn banded_level(a: &str, b: &str, thresholds: &[f64]) -> u8 {
    if a.is_empty() || b.is_empty() {
        return MISSING;
    }
    if a == b {
        return EXACT;
    }
    let similarity = jaro_winkler(a, b);
    let band = thresholds
        .iter()
        .position(|threshold| similarity >= *threshold)
        .unwrap_or(thresholds.len());
    2 + band as u8
}

fn email_level(left: &PreparedRecord, right: &PreparedRecord) -> u8 {
    let (a, b) = (left.get(Slot::Emails), right.get(Slot::Emails));
    if a.is_empty() || b.is_empty() {
        return MISSING;
    }
    let mut same_local_part = false;
    let mut same_name_local_part = false;
    for mine in left.values(Slot::Emails) {
        for theirs in right.values(Slot::Emails) {
            if mine == theirs {
                return EXACT;
            }
            if local_part(mine) == local_part(theirs) {
                // A local part spelled from the person's name says no more
                // than the name does: every namesake can own one at another
                // provider. Only a local part of its own is evidence.
                if spells_name(local_part(mine), left) || spells_name(local_part(theirs), right) {
                    same_name_local_part = true;
                } else {
                    same_local_part = true;
                }
            }
        }
    }
    if same_local_part {
        level::EMAIL_LOCAL_PART
    } else if same_name_local_part {
        MISSING
    } else {
        level::EMAIL_DIFFERENT
    }
}

fn local_part(email: &str) -> &str {
    email.split('@').next().unwrap_or_default()
}

/// True when the local part's letters are the record's given and family
/// names (either order, or the initial and the family name):
/// `mehmet.yilmaz`, `yilmaz_mehmet`, `m.yilmaz85`.
fn spells_name(local: &str, record: &PreparedRecord) -> bool {
    let (given, family) = (record.get(Slot::Given), record.get(Slot::Family));
    if given.is_empty() || family.is_empty() {
        return false;
    }
    let letters =
        |text: &str| -> Vec<char> { text.chars().filter(|c| c.is_alphabetic()).collect() };
    let local = letters(local);
    let (given, family) = (letters(given), letters(family));
    let joined = |first: &[char], second: &[char]| -> bool {
        local.len() == first.len() + second.len()
            && local[..first.len()] == *first
            && local[first.len()..] == *second
    };
    joined(&given, &family)
        || joined(&family, &given)
        || given
            .first()
            .is_some_and(|initial| joined(&[*initial], &family))
}

fn phone_level(left: &PreparedRecord, right: &PreparedRecord) -> u8 {
    let (a, b) = (left.get(Slot::Phones), right.get(Slot::Phones));
    if a.is_empty() || b.is_empty() {
        return MISSING;
    }
    let shared = left
        .values(Slot::Phones)
        .any(|mine| right.values(Slot::Phones).any(|theirs| mine == theirs));
    if shared { EXACT } else { 2 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prepared::Preparer;
    use crate::record::MatchRecord;

    fn person(given: &str, family: &str, birth: &str) -> MatchRecord {
        MatchRecord {
            given: given.into(),
            family: family.into(),
            birth_date: DateParts::parse(birth),
            ..MatchRecord::default()
        }
    }

    fn levels(left: MatchRecord, right: MatchRecord) -> Levels {
        let preparer = Preparer::default();
        compare(
            &preparer.prepare(&left),
            &preparer.prepare(&right),
            preparer.nicknames(),
        )
    }

    #[test]
    fn address_lines_written_the_other_way_round_are_one_address() {
        let address = |street: &str, extra: &str| MatchRecord {
            street: street.into(),
            address_extra: extra.into(),
            ..MatchRecord::default()
        };
        let street_and_extra = |left: MatchRecord, right: MatchRecord| {
            let levels = levels(left, right);
            (levels[STREET], levels[ADDRESS_EXTRA])
        };
        assert_eq!(
            street_and_extra(
                address("high street", "flat 3"),
                address("flat 3", "high street")
            ),
            (level::STREET_SWAPPED, MISSING)
        );
        // A street missing on one side but written as its second line.
        assert_eq!(
            street_and_extra(address("", "high streett"), address("high street", "")),
            (level::STREET_SWAPPED, MISSING)
        );
        assert_eq!(
            street_and_extra(
                address("high street", "flat 3"),
                address("high street", "flat 3")
            ),
            (EXACT, EXACT)
        );
        assert_eq!(
            street_and_extra(
                address("high street", "flat 3"),
                address("mill lane", "rose cottage")
            ),
            (level::STREET_DIFFERENT, 3)
        );
    }

    #[test]
    fn a_local_part_spelled_from_the_name_is_no_evidence() {
        let person = |email: &str| MatchRecord {
            given: "mehmet".into(),
            family: "yilmaz".into(),
            emails: vec![email.into()],
            ..MatchRecord::default()
        };
        let email = |a: &str, b: &str| levels(person(a), person(b))[EMAIL];
        assert_eq!(
            email("mehmet.yilmaz@gmail.com", "mehmet.yilmaz@gmail.com"),
            EXACT
        );
        assert_eq!(
            email("mehmet.yilmaz@gmail.com", "mehmet.yilmaz@hotmail.com"),
            MISSING
        );
        assert_eq!(email("m.yilmaz@gmail.com", "m.yilmaz@hotmail.com"), MISSING);
        assert_eq!(
            email("kartal1907@gmail.com", "kartal1907@hotmail.com"),
            level::EMAIL_LOCAL_PART
        );
        assert_eq!(
            email("kartal1907@gmail.com", "mehmet@hotmail.com"),
            level::EMAIL_DIFFERENT
        );
    }

    #[test]
    fn coarser_places_speak_only_where_finer_ones_leave_room() {
        let place = |postcode: &str, locality: &str, region: &str| MatchRecord {
            postcode: postcode.into(),
            locality: locality.into(),
            region: region.into(),
            ..MatchRecord::default()
        };
        let found = levels(
            place("34330", "istanbul", "istanbul"),
            place("34330", "istanbul", "istanbul"),
        );
        assert_eq!(
            (found[POSTCODE], found[LOCALITY], found[REGION]),
            (EXACT, MISSING, MISSING)
        );
        let found = levels(
            place("34330", "istanbul", "istanbul"),
            place("34860", "istanbul", "istanbul"),
        );
        assert_eq!((found[LOCALITY], found[REGION]), (EXACT, MISSING));
        let found = levels(place("", "", "istanbul"), place("", "", "istanbul"));
        assert_eq!(found[REGION], EXACT);
    }

    #[test]
    fn names_grade_from_exact_to_swapped() {
        let level = |a: (&str, &str), b: (&str, &str)| {
            let found = levels(person(a.0, a.1, ""), person(b.0, b.1, ""));
            (found[GIVEN_NAME], found[FAMILY_NAME])
        };
        assert_eq!(
            level(("robert", "smith"), ("robert", "smith")),
            (EXACT, EXACT)
        );
        assert_eq!(
            level(("robert", "smith"), ("bob", "smith")).0,
            level::NICKNAME
        );
        assert_eq!(
            level(("mohammad", "hosseini"), ("محمد", "hoseini")).0,
            level::NICKNAME
        );
        assert_eq!(
            level(("phelan", "wang"), ("felan", "wang")).0,
            level::GIVEN_SOUNDS_ALIKE
        );
        assert_eq!(
            level(("christopher", "x"), ("chri", "x")).0,
            level::GIVEN_PREFIX
        );
        assert_eq!(
            level(("mitchell", "green"), ("green", "mitchell")),
            (level::GIVEN_SWAPPED, MISSING)
        );
        assert_eq!(
            level(("ana", "garcia"), ("ana", "garcia lopez")).1,
            level::FAMILY_PARTIAL
        );
        assert_eq!(level(("", "smith"), ("bob", "smith")).0, MISSING);
    }

    #[test]
    fn dates_grade_transpositions_and_single_part_errors() {
        let level = |a: &str, b: &str| levels(person("", "", a), person("", "", b))[BIRTH_DATE];
        assert_eq!(level("19560409", "1956-04-09"), EXACT);
        assert_eq!(level("19560409", "19560904"), level::DATE_TRANSPOSED);
        assert_eq!(level("19560409", "19560419"), level::DATE_ONE_PART);
        assert_eq!(level("19560409", "19570519"), level::DATE_ELSE);
        assert_eq!(level("", "19570519"), MISSING);
    }

    #[test]
    fn level_names_cover_every_level() {
        for comparison in COMPARISONS {
            assert!(comparison.levels.len() <= MAX_LEVELS, "{}", comparison.name);
            assert_eq!(comparison.levels[0], "missing");
            assert_eq!(comparison.levels[1], "exact");
        }
    }
}
