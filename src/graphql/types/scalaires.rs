//! The API's two time scalars, with their formats pinned by `@specifiedBy`: `Date`, a
//! calendar date (ISO 8601 `AAAA-MM-JJ`), and `DateTime`, an instant (RFC 3339, always in
//! UTC with milliseconds and `Z`: `2026-12-05T10:30:00.000Z`). One written form for each, so
//! that clients compare and sort them as strings and generated types name them.
//!
//! A malformed value is refused during validation (`is_valid`), where `graphql::coder`
//! turns it into `BAD_USER_INPUT` naming the input path, like every other input error.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::{NaiveDate, SecondsFormat, Utc};

/// A calendar date (`2026-03-31`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

/// An instant, written in UTC with milliseconds (`2026-03-31T08:15:00.000Z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime(pub chrono::DateTime<Utc>);

const FORMAT_DATE: &str = "%Y-%m-%d";

fn date_de(valeur: &Value) -> Option<NaiveDate> {
    match valeur {
        // Exactly `AAAA-MM-JJ`: chrono alone would also take `2026-3-1`.
        Value::String(s) if s.len() == 10 => NaiveDate::parse_from_str(s, FORMAT_DATE).ok(),
        _ => None,
    }
}

fn instant_de(valeur: &Value) -> Option<chrono::DateTime<Utc>> {
    match valeur {
        Value::String(s) => chrono::DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|d| d.with_timezone(&Utc)),
        _ => None,
    }
}

/// Une date du calendrier au format ISO 8601 `AAAA-MM-JJ` (par exemple `2026-03-31`).
#[Scalar(
    name = "Date",
    specified_by_url = "https://scalars.graphql.org/andimarek/local-date.html"
)]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        date_de(&value)
            .map(Date)
            .ok_or_else(|| InputValueError::custom("date attendue au format AAAA-MM-JJ"))
    }

    fn is_valid(value: &Value) -> bool {
        date_de(value).is_some()
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format(FORMAT_DATE).to_string())
    }
}

/// Un instant au format RFC 3339. Les réponses sont toujours en UTC, à la milliseconde,
/// avec `Z` (par exemple `2026-03-31T08:15:00.000Z`) ; une valeur reçue peut porter un
/// autre décalage, elle est ramenée en UTC.
#[Scalar(
    name = "DateTime",
    specified_by_url = "https://scalars.graphql.org/chillicream/date-time.html"
)]
impl ScalarType for DateTime {
    fn parse(value: Value) -> InputValueResult<Self> {
        instant_de(&value)
            .map(DateTime)
            .ok_or_else(|| InputValueError::custom("date et heure attendues au format RFC 3339"))
    }

    fn is_valid(value: &Value) -> bool {
        instant_de(value).is_some()
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_rfc3339_opts(SecondsFormat::Millis, true))
    }
}

impl From<NaiveDate> for Date {
    fn from(d: NaiveDate) -> Self {
        Date(d)
    }
}

impl From<Date> for NaiveDate {
    fn from(d: Date) -> Self {
        d.0
    }
}

impl From<chrono::DateTime<Utc>> for DateTime {
    fn from(d: chrono::DateTime<Utc>) -> Self {
        DateTime(d)
    }
}

impl From<DateTime> for chrono::DateTime<Utc> {
    fn from(d: DateTime) -> Self {
        d.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn un_instant_s_ecrit_en_utc_a_la_milliseconde() {
        let t = Utc.with_ymd_and_hms(2026, 3, 31, 8, 15, 0).unwrap()
            + chrono::Duration::nanoseconds(123_456_789);
        assert_eq!(
            DateTime(t).to_value(),
            Value::String("2026-03-31T08:15:00.123Z".into())
        );
        let lu = <DateTime as ScalarType>::parse(Value::String("2026-03-31T10:15:00+02:00".into()))
            .unwrap();
        assert_eq!(lu.0, Utc.with_ymd_and_hms(2026, 3, 31, 8, 15, 0).unwrap());
    }

    #[test]
    fn une_date_n_a_qu_une_forme() {
        assert!(<Date as ScalarType>::is_valid(&Value::String(
            "2026-03-31".into()
        )));
        for faux in [
            "2026-3-31",
            "31/03/2026",
            "2026-02-30",
            "2026-03-31T00:00:00Z",
        ] {
            assert!(
                !<Date as ScalarType>::is_valid(&Value::String(faux.into())),
                "{faux}"
            );
        }
        assert!(!<Date as ScalarType>::is_valid(&Value::Number(3.into())));
        assert_eq!(
            Date(NaiveDate::from_ymd_opt(2026, 1, 2).unwrap()).to_value(),
            Value::String("2026-01-02".into())
        );
    }
}
