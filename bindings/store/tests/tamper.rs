//! An event row, a snapshot, a head, an index column or a procedure text edited with SQL
//! is found by `verify`, and the write path refuses to build on it.

use motcua::Procedure;

use crate::common::{command, library, read, scenario, submission, targets};

#[test]
fn edits_made_with_sql_are_found() {
    let file = "tests/scenarios/business-registration-happy.yaml";
    for target in targets("tamper") {
        let mut store = target.open();
        let s = scenario(file);
        store.register_procedure(&read(&s.procedure), &s.procedure).unwrap();
        let procedure = Procedure::from_yaml(&read(&s.procedure), &s.procedure, &library()).unwrap();
        for name in ["CLEAN", "EVENT", "SNAPSHOT", "HEAD", "INDEX", "TRUNCATED"] {
            let mut sub = submission(&s);
            sub.dossier_id = name.into();
            store.submit(procedure.code(), sub).unwrap();
            for (i, c) in s.commands.iter().enumerate().take(3) {
                let version = store.dossier(name).unwrap().version();
                let _ = store.apply(name, &command(c, i, version).unwrap());
            }
            assert!(store.verify(name).is_ok());
        }
        assert_eq!(store.dossier("EVENT").unwrap().version(), 3);
        target.sql("UPDATE events SET body = replace(body, '10:00:00+07:00', '10:01:00+07:00') WHERE dossier_id = 'EVENT' AND seq = 2");
        target.sql("UPDATE snapshots SET body = replace(body, '\"jurisdiction\":\"01\"', '\"jurisdiction\":\"79\"') WHERE dossier_id = 'SNAPSHOT'");
        target.sql("UPDATE dossiers SET head = 'aaaa' || substr(head, 5) WHERE id = 'HEAD'");
        target.sql("UPDATE dossiers SET status = 10 WHERE id = 'INDEX'");
        target.sql("DELETE FROM events WHERE dossier_id = 'TRUNCATED' AND seq = 3");
        assert!(store.verify("CLEAN").is_ok(), "{}", target.label());
        for name in ["EVENT", "SNAPSHOT", "HEAD", "INDEX", "TRUNCATED"] {
            let err = store.verify(name).unwrap_err();
            assert_eq!(err.code(), "integrity", "{name} on {}: {err}", target.label());
        }
        // Commands do not build on a broken history.
        let next = command(&s.commands[3], 3, 3).unwrap();
        for name in ["EVENT", "HEAD", "TRUNCATED"] {
            assert_eq!(store.apply(name, &next).unwrap_err().code(), "integrity", "{name}");
        }
        let before = store.events("EVENT").unwrap();
        assert_eq!(store.events("EVENT").unwrap(), before, "nothing was written");

        // A procedure text changed in place no longer matches its SHA-256.
        target.sql("UPDATE procedures SET spec = spec || '\n# edited'");
        let mut fresh = target.open();
        let err = fresh.verify("CLEAN").unwrap_err();
        assert_eq!(err.code(), "integrity", "{err}");
    }
}
