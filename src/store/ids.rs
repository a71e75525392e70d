//! Stable identifiers: each session's UUID, which the phone's health store uses
//! to recognise a record it already holds (so a restored backup writes no
//! duplicates).

use rusqlite::Transaction;

/// A name-based UUID (version 8, RFC 9562 "custom") from two FNV-1a hashes of
/// `parts`: stable across runs and machines, no randomness.
pub fn name_uuid(parts: &[&str]) -> String {
    let hash = |basis: u64| {
        let mut h = basis;
        for p in parts {
            for b in p.bytes().chain([0u8]) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        h
    };
    let hi = hash(0xcbf2_9ce4_8422_2325);
    let lo = hash(0x6c62_272e_07bb_0142);
    let hi = (hi & !0xf000) | 0x8000; // version 8
    let lo = (lo & !(0b11 << 62)) | (0b10 << 62); // RFC variant
    format_uuid(hi, lo)
}

/// The UUID of a session stored before schema version 3 (or restored from a
/// backup of version 1 or 2, which carry none): the same value the Health Connect
/// and HealthKit ids were derived from before, so records a phone already wrote
/// keep their ids across the upgrade or the restore.
pub fn legacy_session_uuid(profile_id: i64, profile_created_at_ms: i64, session_id: i64) -> String {
    name_uuid(&[
        "session",
        &format!("{profile_id}:{profile_created_at_ms}"),
        &session_id.to_string(),
    ])
}

/// A new random session UUID (version 4), from SQLite's `randomblob`, which the
/// operating system's randomness seeds.
pub(super) fn random_uuid(tx: &Transaction<'_>) -> rusqlite::Result<String> {
    let bytes: Vec<u8> = tx.query_row("SELECT randomblob(16)", [], |r| r.get(0))?;
    let mut b = [0u8; 16];
    b.copy_from_slice(&bytes[..16]);
    let hi = u64::from_be_bytes(b[..8].try_into().expect("8 bytes"));
    let lo = u64::from_be_bytes(b[8..].try_into().expect("8 bytes"));
    let hi = (hi & !0xf000) | 0x4000; // version 4
    let lo = (lo & !(0b11 << 62)) | (0b10 << 62); // RFC variant
    Ok(format_uuid(hi, lo))
}

/// Whether `text` is a UUID in canonical lowercase form.
pub fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_digit() || (b'a'..=b'f').contains(&b),
        })
}

fn format_uuid(hi: u64, lo: u64) -> String {
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0xffff,
        lo >> 48,
        lo & 0xffff_ffff_ffff
    )
}

/// Gives every session of a version 2 file its legacy UUID (the upgrade to 3).
pub(super) fn fill_legacy_session_uuids(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let rows: Vec<(i64, i64, i64)> = tx
        .prepare(
            "SELECT s.id, p.id, p.created_at_ms FROM sessions s
               JOIN profiles p ON p.id = s.profile_id WHERE s.uuid IS NULL",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = tx.prepare("UPDATE sessions SET uuid = ?1 WHERE id = ?2")?;
    for (session_id, profile_id, created) in rows {
        update.execute(rusqlite::params![
            legacy_session_uuid(profile_id, created, session_id),
            session_id
        ])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_have_the_canonical_form_and_their_version() {
        let named = name_uuid(&["session", "1:2", "3"]);
        assert!(is_uuid(&named) && named.as_bytes()[14] == b'8', "{named}");
        assert_eq!(named, name_uuid(&["session", "1:2", "3"]));
        assert_ne!(named, name_uuid(&["session", "1:2", "4"]));
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        let tx = conn.transaction().unwrap();
        let (a, b) = (random_uuid(&tx).unwrap(), random_uuid(&tx).unwrap());
        assert!(is_uuid(&a) && a.as_bytes()[14] == b'4' && a != b, "{a} {b}");
        assert!(!is_uuid("not-a-uuid") && !is_uuid(&a.to_uppercase()));
    }
}
