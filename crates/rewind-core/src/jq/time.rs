//! jq's time filters in UTC only, with no clock: `fromdateiso8601`, `todateiso8601`,
//! `gmtime`, `mktime` and `strftime`. (`now`, `localtime`, `strflocaltime` read the outside
//! world and are refused when compiling.)

use std::fmt::Write as _;

use jaq_core::native::{bome, unary, v, Filter};
use jaq_core::RunPtr;

use super::data::Data;
use super::num::Num;
use super::value::{Error, JqValue, ValR};
use crate::value::Value;

/// Epoch seconds beyond which times are refused (about 30 million years).
const MAX_SECONDS: f64 = 1e15;

/// Days since 1970-01-01 of a proleptic Gregorian date (`m` 1-12).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date (year, month 1-12, day) of a day since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// A UTC time broken down as jq's `gmtime` does.
struct Broken {
    year: i64,
    /// 0-11.
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    /// With its fraction.
    second: f64,
    /// 0 = Sunday.
    weekday: i64,
    /// 0-365.
    yearday: i64,
}

impl Broken {
    /// Of epoch seconds.
    fn of_epoch(secs: f64) -> Result<Broken, Error> {
        if secs.is_nan() || secs.abs() >= MAX_SECONDS {
            return Err(JqValue::fail(format_args!("time {secs} is out of range")));
        }
        let whole = secs.floor();
        let t = whole as i64;
        let (days, rem) = (t.div_euclid(86_400), t.rem_euclid(86_400));
        let (year, month, day) = civil_from_days(days);
        Ok(Broken {
            year,
            month: month - 1,
            day,
            hour: rem / 3600,
            minute: rem % 3600 / 60,
            second: (rem % 60) as f64 + (secs - whole),
            weekday: (days + 4).rem_euclid(7),
            yearday: days - days_from_civil(year, 1, 1),
        })
    }

    /// Of a value: epoch seconds or a broken-down array.
    fn of_value(v: &JqValue) -> Result<Broken, Error> {
        match &v.0 {
            Value::Number(n) => Broken::of_epoch(Num::of(n).as_f64()),
            Value::Array(_) => Broken::of_epoch(epoch(v)?),
            _ => Err(v.type_error("a number or a broken-down time")),
        }
    }

    fn to_value(&self) -> JqValue {
        [
            JqValue::from(self.year),
            JqValue::from(self.month),
            JqValue::from(self.day),
            JqValue::from(self.hour),
            JqValue::from(self.minute),
            JqValue::from(self.second),
            JqValue::from(self.weekday),
            JqValue::from(self.yearday),
        ]
        .into_iter()
        .collect()
    }
}

/// `mktime`: epoch seconds (whole) of a broken-down UTC time.
fn epoch(v: &JqValue) -> Result<f64, Error> {
    let fail = || JqValue::fail("mktime requires an array of 6 numbers");
    let Value::Array(a) = &v.0 else {
        return Err(fail());
    };
    let mut parts = [0.0; 6];
    for (i, p) in parts.iter_mut().enumerate() {
        *p = JqValue(a.get(i).cloned().ok_or_else(fail)?)
            .num()
            .ok_or_else(fail)?
            .as_f64();
    }
    let [y, mon, d, h, min, s] = parts.map(|x| x.floor());
    if [y, mon, d].iter().any(|x| x.is_nan() || x.abs() >= 1e9) {
        return Err(JqValue::fail("time is out of range"));
    }
    // Months beyond 0-11 roll into years, as C's timegm does.
    let (y, mon) = (
        y as i64 + (mon as i64).div_euclid(12),
        (mon as i64).rem_euclid(12),
    );
    let days = days_from_civil(y, mon + 1, 1) + d as i64 - 1;
    Ok(days as f64 * 86_400.0 + h * 3600.0 + min * 60.0 + s)
}

const WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `strftime(fmt)` in UTC, for the common conversions.
fn strftime(t: &Broken, fmt: &str) -> Result<String, Error> {
    let mut out = String::with_capacity(fmt.len() + 16);
    let mut chars = fmt.chars();
    let sec = t.second.floor() as i64;
    let weekday = WEEKDAYS[t.weekday.rem_euclid(7) as usize];
    let month = MONTHS[t.month.rem_euclid(12) as usize];
    let hour12 = if t.hour % 12 == 0 { 12 } else { t.hour % 12 };
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let Some(spec) = chars.next() else {
            return Err(JqValue::fail("strftime format ends with a lone %"));
        };
        let _ = match spec {
            'Y' => write!(out, "{}", t.year),
            'C' => write!(out, "{:02}", t.year.div_euclid(100)),
            'y' => write!(out, "{:02}", t.year.rem_euclid(100)),
            'm' => write!(out, "{:02}", t.month + 1),
            'd' => write!(out, "{:02}", t.day),
            'e' => write!(out, "{:2}", t.day),
            'H' => write!(out, "{:02}", t.hour),
            'I' => write!(out, "{hour12:02}"),
            'M' => write!(out, "{:02}", t.minute),
            'S' => write!(out, "{sec:02}"),
            'j' => write!(out, "{:03}", t.yearday + 1),
            'a' => write!(out, "{}", &weekday[..3]),
            'A' => write!(out, "{weekday}"),
            'b' | 'h' => write!(out, "{}", &month[..3]),
            'B' => write!(out, "{month}"),
            'p' => write!(out, "{}", if t.hour < 12 { "AM" } else { "PM" }),
            'u' => write!(out, "{}", if t.weekday == 0 { 7 } else { t.weekday }),
            'w' => write!(out, "{}", t.weekday),
            's' => {
                let days = days_from_civil(t.year, t.month + 1, t.day);
                write!(
                    out,
                    "{}",
                    days * 86_400 + t.hour * 3600 + t.minute * 60 + sec
                )
            }
            'Z' => write!(out, "UTC"),
            'z' => write!(out, "+0000"),
            'T' => write!(out, "{:02}:{:02}:{sec:02}", t.hour, t.minute),
            'R' => write!(out, "{:02}:{:02}", t.hour, t.minute),
            'F' => write!(out, "{}-{:02}-{:02}", t.year, t.month + 1, t.day),
            'D' => write!(
                out,
                "{:02}/{:02}/{:02}",
                t.month + 1,
                t.day,
                t.year.rem_euclid(100)
            ),
            'n' => writeln!(out),
            't' => write!(out, "\t"),
            '%' => write!(out, "%"),
            other => {
                return Err(JqValue::fail(format_args!(
                    "strftime does not support %{other}"
                )))
            }
        };
    }
    Ok(out)
}

/// `fromdateiso8601`: epoch seconds of an RFC 3339 time (no zone means UTC).
fn from_iso8601(v: &JqValue) -> ValR {
    let s = v.as_str().ok_or_else(|| v.type_error("a string"))?;
    let ms = crate::fields::parse_rfc3339_millis(s).ok_or_else(|| {
        JqValue::fail(format_args!(
            "date \"{s}\" does not match format \"%Y-%m-%dT%H:%M:%SZ\""
        ))
    })?;
    Ok(JqValue::from(ms / 1000.0))
}

/// The time filters.
pub(crate) fn funs() -> Box<[Filter<RunPtr<Data>>]> {
    Box::new([
        ("fromdateiso8601", v(0), |cv| bome(from_iso8601(&cv.1))),
        ("todateiso8601", v(0), |cv| {
            bome(
                Broken::of_value(&cv.1)
                    .and_then(|t| strftime(&t, "%Y-%m-%dT%H:%M:%SZ").map(JqValue::from)),
            )
        }),
        ("gmtime", v(0), |cv| {
            bome(Broken::of_value(&cv.1).map(|t| t.to_value()))
        }),
        ("mktime", v(0), |cv| bome(epoch(&cv.1).map(JqValue::from))),
        ("strftime", v(1), |cv| {
            unary(cv, |t, fmt| {
                let fmt = fmt
                    .as_str()
                    .ok_or_else(|| fmt.type_error("a string (format)"))?;
                strftime(&Broken::of_value(&t)?, fmt).map(JqValue::from)
            })
        }),
    ])
}
