//! Guids derived from our ids and `xsd:dateTime` values, shared by the reader and the writer.

use crate::project::Timestamp;
use uuid::Uuid;

/// A stable guid derived from `id` for a second object that belongs to it (a selection for a
/// coding, a note for a memo): the bytes mixed with `salt`, kept a version-4 UUID.
pub(crate) fn derived(id: Uuid, salt: u8) -> Uuid {
    let mut b = *id.as_bytes();
    for (i, x) in b.iter_mut().enumerate() {
        *x ^= salt
            .wrapping_mul(0x9d)
            .wrapping_add((i as u8).wrapping_mul(0x3b))
            | 1;
    }
    uuid::Builder::from_random_bytes(b).into_uuid()
}

/// Mixes several ids into one derived guid.
pub(crate) fn derived_from(ids: &[Uuid], salt: u8) -> Uuid {
    let mut b = [0u8; 16];
    for (n, id) in ids.iter().enumerate() {
        for (i, x) in id.as_bytes().iter().enumerate() {
            let j = (i + n * 5) % 16;
            if let Some(slot) = b.get_mut(j) {
                *slot = slot.rotate_left(3) ^ x;
            }
        }
    }
    derived(Uuid::from_bytes(b), salt)
}

/// A stable guid for a coder name (FNV-1a over the name, twice).
pub(crate) fn user_guid(name: &str) -> Uuid {
    let fnv = |seed: u64| {
        let mut h = seed;
        for b in name.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h
    };
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&fnv(0xcbf2_9ce4_8422_2325).to_be_bytes());
    b[8..].copy_from_slice(&fnv(0x6c62_272e_07bb_0142).to_be_bytes());
    uuid::Builder::from_random_bytes(b).into_uuid()
}

/// Parses a guid in any of the forms tools write (braces, upper case).
pub(crate) fn parse_guid(text: &str) -> Option<Uuid> {
    Uuid::parse_str(text.trim().trim_start_matches('{').trim_end_matches('}')).ok()
}

fn days_to_civil(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn civil_to_days(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `xsd:dateTime` in UTC with milliseconds, e.g. `2026-03-31T09:15:00.250Z`.
pub fn iso_datetime(ms: Timestamp) -> String {
    let secs = ms.div_euclid(1000);
    let milli = ms.rem_euclid(1000);
    let (y, m, d) = days_to_civil(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{milli:03}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// Reads an `xsd:dateTime` (`Z`, an offset or none taken as UTC; any fraction) as ms.
pub fn parse_datetime(text: &str) -> Option<Timestamp> {
    let t = text.trim();
    let (date, time) = t.split_once('T')?;
    let mut dp = date.splitn(3, '-');
    let y: i64 = dp.next()?.parse().ok()?;
    let mo: i64 = dp.next()?.parse().ok()?;
    let d: i64 = dp.next()?.parse().ok()?;
    let (clock, offset_min) = if let Some(c) = time.strip_suffix('Z') {
        (c, 0)
    } else if let Some(i) = time.rfind(['+', '-']) {
        let (c, off) = time.split_at(i);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let (oh, om) = off.get(1..)?.split_once(':')?;
        (
            c,
            sign * (oh.parse::<i64>().ok()? * 60 + om.parse::<i64>().ok()?),
        )
    } else {
        (time, 0)
    };
    let mut cp = clock.splitn(3, ':');
    let h: i64 = cp.next()?.parse().ok()?;
    let mi: i64 = cp.next()?.parse().ok()?;
    let sec = cp.next()?;
    let (whole, frac) = sec.split_once('.').unwrap_or((sec, ""));
    let s: i64 = whole.parse().ok()?;
    let milli: i64 = if frac.is_empty() {
        0
    } else {
        let digits: String = frac.chars().chain("000".chars()).take(3).collect();
        digits.parse().ok()?
    };
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 24 || mi > 59 || s > 60 {
        return None;
    }
    let days = civil_to_days(y, mo, d);
    Some(((days * 86_400 + h * 3600 + mi * 60 + s - offset_min * 60) * 1000) + milli)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_round_trip() {
        for ms in [
            0,
            1,
            999,
            1_726_414_607_123,
            -1,
            -86_400_001,
            4_102_444_800_000,
        ] {
            let iso = iso_datetime(ms);
            assert_eq!(parse_datetime(&iso), Some(ms), "{iso}");
        }
        assert_eq!(iso_datetime(1_726_414_607_000), "2024-09-15T15:36:47.000Z");
        assert_eq!(
            parse_datetime("2024-09-15T15:36:47Z"),
            Some(1_726_414_607_000)
        );
        assert_eq!(
            parse_datetime("2024-09-15T17:36:47+02:00"),
            Some(1_726_414_607_000)
        );
    }

    #[test]
    fn derived_guids_are_stable_and_distinct() {
        let id = Uuid::from_bytes([7; 16]);
        assert_eq!(derived(id, 1), derived(id, 1));
        assert_ne!(derived(id, 1), derived(id, 2));
        assert_ne!(derived(id, 1), id);
        assert_eq!(user_guid("Ana"), user_guid("Ana"));
        assert_ne!(user_guid("Ana"), user_guid("Ann"));
    }
}
