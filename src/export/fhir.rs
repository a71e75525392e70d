//! FHIR R4: a Bundle (type `collection`) of one Patient and Observations for a
//! date range, for a clinic's record system.
//!
//! - One exercise Observation per set (exercise block) of each finished or
//!   abandoned session: category `activity`
//!   (http://terminology.hl7.org/CodeSystem/observation-category), code LOINC
//!   73985-4 "Exercise activity", `effectivePeriod` = the set's start and end,
//!   value = the exercise (a CodeableConcept in the app's own code system, whose
//!   codes are the catalog ids), and components: LOINC 55411-3 "Exercise
//!   duration" (active minutes, UCUM `min`), then repetitions counted,
//!   repetitions reaching the target range and attempts. LOINC has no code we
//!   are sure means "repetitions of one exercise set", so those three use the
//!   app's code system [`RC_SYSTEM`] (codes `repetitions`,
//!   `repetitions-reaching-target`, `attempts`) with the UCUM unit
//!   `{repetitions}` / `{attempts}` (annotations of the unit 1). Active sessions
//!   are left out: their numbers are not final.
//! - One pain Observation per check-in with a pain score: category `survey`,
//!   LOINC 72514-3 "Pain severity - 0-10 verbal numeric rating [Score] -
//!   Reported", `effectiveDateTime`, `valueInteger`. Stiffness and effort are not
//!   exported yet.
//!
//! Every entry's `fullUrl` is `urn:uuid:<uuid>`, the uuid derived from the
//! profile and the row (not random), so exporting twice gives the same ids; the
//! Observations' `subject` points at the Patient's fullUrl.

use crate::export::csv::local_iso;
use crate::store::export_queries::ProfileHistory;
use serde_json::{json, Value};

/// The app's own code system for what LOINC does not name.
pub const RC_SYSTEM: &str = "https://rehabcore.org/fhir/CodeSystem/exercise";
const LOINC: &str = "http://loinc.org";
const UCUM: &str = "http://unitsofmeasure.org";
const CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/observation-category";

/// The namespace of RehabCore's FHIR ids: UUID v5 of the URL
/// `https://rehabcore.org/fhir` in the RFC 9562 URL namespace.
pub const ID_NAMESPACE: uuid::Uuid = uuid::uuid!("d41f4f06-1935-5ea3-8b8c-a79545b4495f");

/// A name-based UUID (version 5, RFC 9562) of `parts` (each followed by a NUL) in
/// [`ID_NAMESPACE`]: the same data gives the same id on every run and machine.
pub fn uuid(parts: &[&str]) -> String {
    let mut name = Vec::new();
    for p in parts {
        name.extend_from_slice(p.as_bytes());
        name.push(0);
    }
    uuid::Uuid::new_v5(&ID_NAMESPACE, &name).to_string()
}

fn coding(system: &str, code: &str, display: &str) -> Value {
    json!({ "coding": [{ "system": system, "code": code, "display": display }], "text": display })
}

fn quantity(value: f64, unit: &str, code: &str) -> Value {
    json!({ "value": value, "unit": unit, "system": UCUM, "code": code })
}

fn count_component(code: &str, display: &str, n: usize, unit: &str) -> Value {
    json!({
        "code": coding(RC_SYSTEM, code, display),
        "valueQuantity": quantity(n as f64, unit, &format!("{{{unit}}}")),
    })
}

/// The Bundle for a history (already limited to the date range).
pub fn bundle(h: &ProfileHistory, now_ms: i64) -> Value {
    let key = format!("{}:{}", h.profile.id, h.profile.created_at_ms);
    let patient_id = uuid(&["patient", &key]);
    let subject =
        json!({ "reference": format!("urn:uuid:{patient_id}"), "display": h.profile.name });
    let mut entries = vec![json!({
        "fullUrl": format!("urn:uuid:{patient_id}"),
        "resource": {
            "resourceType": "Patient",
            "id": patient_id,
            "name": [{ "text": h.profile.name }],
        },
    })];
    for s in h.sessions.iter().filter(|s| s.status != "active") {
        for b in &s.blocks {
            let id = uuid(&["set", &key, &b.id.to_string()]);
            let end = b
                .ended_at_ms
                .unwrap_or(b.started_at_ms)
                .max(b.started_at_ms);
            let reached = b.reps.iter().filter(|r| r.target_reached).count();
            entries.push(json!({
                "fullUrl": format!("urn:uuid:{id}"),
                "resource": {
                    "resourceType": "Observation",
                    "id": id,
                    "status": "final",
                    "category": [{ "coding": [{ "system": CATEGORY, "code": "activity", "display": "Activity" }] }],
                    "code": coding(LOINC, "73985-4", "Exercise activity"),
                    "subject": subject,
                    "effectivePeriod": {
                        "start": local_iso(b.started_at_ms, s.utc_offset_min),
                        "end": local_iso(end, s.utc_offset_min),
                    },
                    "valueCodeableConcept": coding(RC_SYSTEM, &b.exercise_id, &b.exercise_id),
                    "bodySite": { "text": b.side.as_str() },
                    "component": [
                        {
                            "code": coding(LOINC, "55411-3", "Exercise duration"),
                            "valueQuantity": quantity(b.active_ms as f64 / 60_000.0, "min", "min"),
                        },
                        count_component("repetitions", "Repetitions counted", b.reps.len(), "repetitions"),
                        count_component("repetitions-reaching-target", "Repetitions reaching the target range", reached, "repetitions"),
                        count_component("attempts", "Attempts that did not count", b.attempts.len(), "attempts"),
                    ],
                },
            }));
        }
    }
    for c in &h.check_ins {
        let Some(pain) = c.pain else { continue };
        let id = uuid(&["pain", &key, &c.id.to_string()]);
        entries.push(json!({
            "fullUrl": format!("urn:uuid:{id}"),
            "resource": {
                "resourceType": "Observation",
                "id": id,
                "status": "final",
                "category": [{ "coding": [{ "system": CATEGORY, "code": "survey", "display": "Survey" }] }],
                "code": coding(LOINC, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported"),
                "subject": subject,
                "effectiveDateTime": local_iso(c.recorded_at_ms, c.utc_offset_min),
                "valueInteger": pain,
            },
        }));
    }
    json!({
        "resourceType": "Bundle",
        "id": uuid(&["bundle", &key, &now_ms.to_string()]),
        "type": "collection",
        "timestamp": local_iso(now_ms, 0).replace("+00:00", "Z"),
        "entry": entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::backup::tests::{seed, temp_store, T0};
    use crate::export::csv::history_in_range;
    use crate::progress::DateRange;
    use std::collections::HashMap;

    fn is_fhir_date_time(v: &Value) -> bool {
        v.as_str().is_some_and(|s| {
            chrono::DateTime::parse_from_rfc3339(s).is_ok()
                && s.len() >= 20
                && s.as_bytes()[10] == b'T'
        })
    }

    fn is_uuid(s: &str) -> bool {
        let parts: Vec<&str> = s.split('-').collect();
        parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
            && s.chars()
                .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    }

    fn make() -> Value {
        let (_d, s) = temp_store();
        let id = seed(&s, "Ana");
        let range =
            DateRange::new("2026-03-01".parse().unwrap(), "2026-04-30".parse().unwrap()).unwrap();
        bundle(&history_in_range(&s, id, range).unwrap(), T0)
    }

    /// The structure FHIR R4 requires of a Bundle of Observations.
    fn check_structure(b: &Value) {
        assert_eq!(b["resourceType"], "Bundle");
        assert_eq!(b["type"], "collection");
        assert!(b["timestamp"].as_str().unwrap().ends_with('Z'));
        let entries = b["entry"].as_array().unwrap();
        let mut by_url = HashMap::new();
        for e in entries {
            let url = e["fullUrl"].as_str().unwrap();
            let id = url
                .strip_prefix("urn:uuid:")
                .expect("fullUrl is a urn:uuid");
            assert!(is_uuid(id), "{id}");
            assert_eq!(e["resource"]["id"], id);
            assert!(
                by_url.insert(url.to_string(), &e["resource"]).is_none(),
                "fullUrl {url} twice"
            );
        }
        for e in entries.iter().map(|e| &e["resource"]) {
            assert!(e["resourceType"].is_string());
            if e["resourceType"] != "Observation" {
                continue;
            }
            assert!(["registered", "preliminary", "final", "amended"]
                .contains(&e["status"].as_str().unwrap()));
            let coding = &e["code"]["coding"][0];
            assert_eq!(coding["system"], LOINC);
            assert!(coding["code"].is_string());
            let category = &e["category"][0]["coding"][0];
            assert_eq!(category["system"], CATEGORY);
            let subject = e["subject"]["reference"].as_str().unwrap();
            assert_eq!(
                by_url[subject]["resourceType"], "Patient",
                "subject resolves in the bundle"
            );
            let effective = if e["effectivePeriod"].is_object() {
                assert!(is_fhir_date_time(&e["effectivePeriod"]["end"]));
                &e["effectivePeriod"]["start"]
            } else {
                &e["effectiveDateTime"]
            };
            assert!(is_fhir_date_time(effective), "{effective}");
            let has_value = e
                .as_object()
                .unwrap()
                .keys()
                .any(|k| k.starts_with("value"));
            assert!(
                has_value || e["component"].is_array(),
                "a value or components"
            );
            for c in e["component"].as_array().into_iter().flatten() {
                assert!(c["code"]["coding"][0]["code"].is_string());
                let q = &c["valueQuantity"];
                assert_eq!(q["system"], UCUM);
                assert!(q["code"].is_string() && q["value"].is_number());
            }
        }
    }

    #[test]
    fn the_bundle_has_the_structure_fhir_requires() {
        let b = make();
        check_structure(&b);
        let resources: Vec<&Value> = b["entry"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| &e["resource"])
            .collect();
        let code = |r: &Value| {
            r["code"]["coding"][0]["code"]
                .as_str()
                .unwrap_or("")
                .to_string()
        };
        // Two finished sessions of two sets each; the active session is left out.
        let exercise: Vec<_> = resources.iter().filter(|r| code(r) == "73985-4").collect();
        assert_eq!(exercise.len(), 4);
        let first = exercise[0];
        assert_eq!(first["category"][0]["coding"][0]["code"], "activity");
        assert_eq!(
            first["valueCodeableConcept"]["coding"][0]["code"],
            "wrist_flexion"
        );
        assert_eq!(
            first["effectivePeriod"]["start"],
            "2026-03-29T17:00:00.000+01:00"
        );
        let duration = &first["component"][0];
        assert_eq!(duration["code"]["coding"][0]["code"], "55411-3");
        assert_eq!(duration["valueQuantity"]["code"], "min");
        assert_eq!(duration["valueQuantity"]["value"], 0.75);
        assert_eq!(
            first["component"][1]["code"]["coding"][0]["code"],
            "repetitions"
        );
        assert_eq!(first["component"][1]["valueQuantity"]["value"], 4.0);
        assert_eq!(
            first["component"][1]["valueQuantity"]["code"],
            "{repetitions}"
        );
        let pain: Vec<_> = resources.iter().filter(|r| code(r) == "72514-3").collect();
        assert_eq!(pain.len(), 2);
        assert_eq!(pain[0]["valueInteger"], 6);
        assert_eq!(pain[0]["category"][0]["coding"][0]["code"], "survey");
        assert_eq!(
            resources
                .iter()
                .filter(|r| r["resourceType"] == "Patient")
                .count(),
            1
        );
    }

    #[test]
    fn ids_are_stable_and_distinct() {
        assert_eq!(make(), make(), "same data, same bundle");
        assert_ne!(uuid(&["set", "1:0", "12"]), uuid(&["set", "1:01", "2"]));
        assert!(is_uuid(&uuid(&["x"])));
        assert_eq!(&uuid(&["x"])[14..15], "5", "version 5");
        // Golden values (Python: uuid.uuid5(ns, "patient\x001:1772409600000\x00")): an
        // id must never change between releases, or a clinic's system sees new records.
        assert_eq!(
            uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, b"https://rehabcore.org/fhir"),
            ID_NAMESPACE
        );
        assert_eq!(uuid(&["x"]), "0d34da19-f628-5c84-8a08-4637c482c617");
        assert_eq!(
            uuid(&["patient", "1:1772409600000"]),
            "8951a976-dd7a-5fdb-95f4-c8fe8c1e66dd"
        );
    }
}
