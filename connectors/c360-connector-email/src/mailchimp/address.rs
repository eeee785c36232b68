//! Mailchimp's `Address` merge field. The export writes the six parts of the
//! field in one cell separated by two spaces — `addr1  addr2  city  state
//! zip  country` — with empty parts left empty (so a missing second line
//! shows as four spaces).

use c360_model::PostalAddress;

/// Reads one `Address` cell; `None` when it is blank.
pub fn parse_address(cell: &str) -> Option<PostalAddress> {
    let cell = cell.trim_matches(|c: char| c.is_whitespace() && c != ' ');
    if cell.trim().is_empty() {
        return None;
    }
    let parts: Vec<&str> = cell.split("  ").map(str::trim).collect();
    if let [line1, line2, city, region, postal_code, country] = parts.as_slice() {
        return Some(PostalAddress {
            line1: (*line1).to_owned(),
            line2: (*line2).to_owned(),
            city: (*city).to_owned(),
            region: (*region).to_owned(),
            postal_code: (*postal_code).to_owned(),
            country: (*country).to_owned(),
        });
    }
    // Odd spacing (three spaces, a part lost): the non-empty parts, when
    // they are five, are the field without its optional second line.
    let filled: Vec<&str> = parts
        .iter()
        .copied()
        .filter(|part| !part.is_empty())
        .collect();
    if let [line1, city, region, postal_code, country] = filled.as_slice() {
        return Some(PostalAddress {
            line1: (*line1).to_owned(),
            city: (*city).to_owned(),
            region: (*region).to_owned(),
            postal_code: (*postal_code).to_owned(),
            country: (*country).to_owned(),
            ..PostalAddress::default()
        });
    }
    // Anything else is kept whole rather than guessed into the wrong parts.
    Some(PostalAddress {
        line1: filled.join(", "),
        ..PostalAddress::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_six_parts() {
        let address =
            parse_address("Bağdat Cad. 12  Daire 5  İstanbul  Kadıköy  34710  TR").expect("some");
        assert_eq!(address.line1, "Bağdat Cad. 12");
        assert_eq!(address.line2, "Daire 5");
        assert_eq!(address.city, "İstanbul");
        assert_eq!(address.region, "Kadıköy");
        assert_eq!(address.postal_code, "34710");
        assert_eq!(address.country, "TR");
    }

    #[test]
    fn keeps_empty_parts_in_place() {
        let address = parse_address("Hauptstraße 5    Berlin    10115  DE").expect("some");
        assert_eq!(
            (
                address.line1.as_str(),
                address.line2.as_str(),
                address.city.as_str(),
                address.region.as_str(),
                address.postal_code.as_str(),
                address.country.as_str()
            ),
            ("Hauptstraße 5", "", "Berlin", "", "10115", "DE")
        );
    }

    #[test]
    fn odd_spacing_and_free_text() {
        let address = parse_address("1 Main St   Atlanta  GA  30308  US").expect("some");
        assert_eq!(
            (address.city.as_str(), address.region.as_str()),
            ("Atlanta", "GA")
        );
        let address = parse_address("somewhere near the station").expect("some");
        assert_eq!(address.line1, "somewhere near the station");
        assert_eq!(parse_address("   "), None);
    }
}
