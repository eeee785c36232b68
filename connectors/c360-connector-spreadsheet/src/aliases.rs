//! The default mapping: the column names people give their hand-kept
//! customer lists, in English, German, Turkish, French, Spanish, Arabic and
//! Chinese. Matching ignores case, spaces and punctuation (`E-Mail` = `email`,
//! `Kd.-Nr.` = `kdnr`), so one spelling per word covers its variants.
//!
//! A source's `[sources.mapping]` replaces a target's list as a whole
//! (`FieldMapping::overridden_by`).

use c360_connector::FieldMapping;
use c360_connector::mapping::header_key;

/// The attribute key notes are stored under.
pub const NOTES_ATTRIBUTE: &str = "notes";

const EXTERNAL_ID: &[&str] = &[
    "ID",
    "Customer ID",
    "Customer No",
    "Customer Number",
    "Client ID",
    "Account ID",
    "Account No",
    "Kunden-Nr",
    "Kundennummer",
    "Kunden-ID",
    "Kd.-Nr.",
    "Müşteri No",
    "Müşteri Numarası",
    "Müşteri Kodu",
    "Cari Kod",
    "No",
    "Nr",
    "N°",
    "Numéro client",
    "N° client",
    "Código cliente",
    "Nº cliente",
    "رقم العميل",
    "المعرف",
    "客户编号",
    "客户ID",
    "编号",
];

/// A whole name in one cell; split into given and family names.
const NAME: &[&str] = &[
    "Full name",
    "Name",
    "Customer name",
    "Contact",
    "Contact name",
    "Ad Soyad",
    "Adı Soyadı",
    "İsim Soyisim",
    "İsim",
    "Müşteri Adı",
    "Kunde",
    "Kundenname",
    "Vollständiger Name",
    "Nom complet",
    "Nombre completo",
    "Nombre",
    "الاسم",
    "الاسم الكامل",
    "اسم العميل",
    "姓名",
    "客户名称",
    "客户姓名",
];

const GIVEN_NAME: &[&str] = &[
    "First name",
    "Firstname",
    "Given name",
    "Forename",
    "Vorname",
    "Ad",
    "Adı",
    "Prénom",
    "Nombre de pila",
    "الاسم الأول",
    "名",
    "名字",
];

const FAMILY_NAME: &[&str] = &[
    "Last name",
    "Lastname",
    "Surname",
    "Family name",
    "Nachname",
    "Familienname",
    "Soyad",
    "Soyadı",
    "Soyisim",
    "Nom",
    "Nom de famille",
    "Apellido",
    "Apellidos",
    "اسم العائلة",
    "الكنية",
    "姓",
];

const EMAIL: &[&str] = &[
    "E-mail",
    "Mail",
    "E-mail address",
    "Email address",
    "E-Mail-Adresse",
    "E-posta",
    "E-posta Adresi",
    "Courriel",
    "Correo",
    "Correo electrónico",
    "البريد الإلكتروني",
    "البريد",
    "邮箱",
    "电子邮件",
    "电子邮箱",
];

const PHONE: &[&str] = &[
    "Mobile",
    "Mobile phone",
    "Cell",
    "Cell phone",
    "Tel.",
    "Telephone",
    "Phone",
    "Phone number",
    "Telefon",
    "Telefonnummer",
    "Handy",
    "Mobil",
    "Mobiltelefon",
    "GSM",
    "Cep",
    "Cep Telefonu",
    "Telefon No",
    "Téléphone",
    "Portable",
    "Teléfono",
    "Móvil",
    "الهاتف",
    "الجوال",
    "رقم الهاتف",
    "电话",
    "手机",
    "手机号",
    "联系电话",
];

const COMPANY: &[&str] = &[
    "Company",
    "Company name",
    "Organization",
    "Organisation",
    "Firma",
    "Unternehmen",
    "Şirket",
    "Firma Adı",
    "Kurum",
    "Société",
    "Empresa",
    "الشركة",
    "公司",
    "公司名称",
];

const BIRTH_DATE: &[&str] = &[
    "DOB",
    "Date of birth",
    "Birth date",
    "Birthday",
    "Geburtsdatum",
    "Geb.-Datum",
    "Geburtstag",
    "Doğum Tarihi",
    "Date de naissance",
    "Fecha de nacimiento",
    "تاريخ الميلاد",
    "出生日期",
    "生日",
];

const UPDATED_AT: &[&str] = &[
    "Updated",
    "Updated at",
    "Last updated",
    "Last modified",
    "Geändert",
    "Letzte Änderung",
    "Güncelleme Tarihi",
];

const ADDRESS_LINE1: &[&str] = &[
    "Address",
    "Street",
    "Street address",
    "Address 1",
    "Address line 1",
    "Adresse",
    "Straße",
    "Strasse",
    "Anschrift",
    "Adres",
    "Dirección",
    "العنوان",
    "地址",
];

const ADDRESS_LINE2: &[&str] = &["Address 2", "Address line 2", "Adresszusatz"];

const CITY: &[&str] = &[
    "City",
    "Town",
    "Ort",
    "Stadt",
    "Wohnort",
    "Şehir",
    "İl",
    "Ville",
    "Ciudad",
    "المدينة",
    "城市",
];

const REGION: &[&str] = &[
    "State",
    "Region",
    "Province",
    "Bundesland",
    "Kanton",
    "Eyalet",
    "المنطقة",
    "省",
];

const POSTAL_CODE: &[&str] = &[
    "ZIP",
    "Zip code",
    "Postal code",
    "Postcode",
    "PLZ",
    "Postleitzahl",
    "Posta Kodu",
    "Code postal",
    "Código postal",
    "الرمز البريدي",
    "邮编",
    "邮政编码",
];

const COUNTRY: &[&str] = &[
    "Country",
    "Land",
    "Ülke",
    "Pays",
    "País",
    "الدولة",
    "البلد",
    "国家",
];

const NOTES: &[&str] = &[
    "Notes",
    "Note",
    "Comment",
    "Comments",
    "Remarks",
    "Notiz",
    "Notizen",
    "Bemerkung",
    "Bemerkungen",
    "Kommentar",
    "Not",
    "Notlar",
    "Açıklama",
    "Remarques",
    "Notas",
    "ملاحظات",
    "备注",
];

/// Columns whose values are numbers written in any locale ("1.234,50"):
/// kept as attributes under their own header, as a plain decimal ("1234.5").
pub const NUMERIC: &[&str] = &[
    "Revenue",
    "Turnover",
    "Sales",
    "Total spend",
    "Spend",
    "Credit limit",
    "Balance",
    "Umsatz",
    "Kreditlimit",
    "Saldo",
    "Ciro",
    "Bakiye",
    "Chiffre d'affaires",
    "Ingresos",
    "الإيرادات",
    "营业额",
    "收入",
];

/// Second and third columns of the same kind ("Phone 2", "E-mail 3"): hand
/// kept lists add columns instead of splitting cells.
const NUMBERED: [&str; 2] = ["2", "3"];

/// The spreadsheet family's default mapping.
pub fn default_mapping() -> FieldMapping {
    let with_numbers = |names: &[&str]| -> Vec<String> {
        let mut all: Vec<String> = names.iter().map(|name| (*name).to_owned()).collect();
        for number in NUMBERED {
            all.extend(names.iter().map(|name| format!("{name} {number}")));
        }
        all
    };
    let emails = with_numbers(&[&["Email"], EMAIL].concat());
    let phones = with_numbers(PHONE);
    let emails: Vec<&str> = emails.iter().map(String::as_str).collect();
    let phones: Vec<&str> = phones.iter().map(String::as_str).collect();
    FieldMapping::from_pairs(&[
        ("external_id", EXTERNAL_ID),
        ("name", NAME),
        ("given_name", GIVEN_NAME),
        ("family_name", FAMILY_NAME),
        ("email", &emails),
        ("phone", &phones),
        ("company", COMPANY),
        ("birth_date", BIRTH_DATE),
        ("updated_at", UPDATED_AT),
        ("address_line1", ADDRESS_LINE1),
        ("address_line2", ADDRESS_LINE2),
        ("city", CITY),
        ("region", REGION),
        ("postal_code", POSTAL_CODE),
        ("country", COUNTRY),
        (&format!("attribute:{NOTES_ATTRIBUTE}"), NOTES),
    ])
}

/// Normalized names of the numeric columns, plus the source's own
/// (`numeric_columns = "Umsatz 2023, Score"`).
pub fn numeric_keys(extra: Option<&str>) -> Vec<String> {
    NUMERIC
        .iter()
        .copied()
        .chain(extra.unwrap_or_default().split(','))
        .map(header_key)
        .filter(|key| !key.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_header_names_two_targets() {
        let mapping = default_mapping();
        let mut seen = std::collections::BTreeMap::new();
        for (target, spec) in &mapping.0 {
            let c360_connector::FieldSpec::Columns(columns) = spec else {
                panic!("defaults are column lists");
            };
            for column in columns {
                if let Some(other) = seen.insert(header_key(column), target.clone()) {
                    assert_eq!(&other, target, "{column:?} is in two targets");
                }
            }
        }
        for numeric in numeric_keys(None) {
            assert!(!seen.contains_key(&numeric), "{numeric} is also mapped");
        }
    }

    #[test]
    fn numbered_columns_and_extra_numeric_columns() {
        let known = default_mapping().known_columns();
        assert!(known.contains(&"telefon2".to_owned()));
        assert!(known.contains(&"email3".to_owned()));
        assert!(numeric_keys(Some("Umsatz 2023, ")).contains(&"umsatz2023".to_owned()));
    }
}
