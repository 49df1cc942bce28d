//! Snapshot parsing on arbitrary bytes: never a panic; a refusal is one plain
//! line naming the file; whatever parses writes back to JSON that parses to
//! the same snapshot.
#![no_main]

use libfuzzer_sys::fuzz_target;
use strata::snapshot::Snapshot;

fuzz_target!(|bytes: &[u8]| {
    match Snapshot::from_slice(bytes, "fuzz.json") {
        Ok(snapshot) => {
            let json = snapshot.to_json();
            let again = Snapshot::from_slice(json.as_bytes(), "again.json")
                .expect("a snapshot strata wrote reads back");
            assert_eq!(again, snapshot);
        }
        Err(error) => {
            let message = error.to_string();
            assert!(
                !message.chars().any(char::is_control),
                "not one plain line: {message:?}"
            );
            assert!(message.contains("fuzz.json"), "{message:?}");
        }
    }
});
