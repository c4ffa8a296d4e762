use super::*;

#[test]
fn splits_separators_and_camel_case() {
    assert_eq!(words("db.drop_database"), ["db", "drop", "database"]);
    assert_eq!(words("removeMember"), ["remove", "member"]);
    assert_eq!(words("HTTPRequest-get"), ["http", "request", "get"]);
    assert_eq!(words("mcp__fs__write_file"), ["mcp", "fs", "write", "file"]);
}

#[test]
fn tiers_by_keyword() {
    let cases = [
        ("delete_file", Some(Effect::Destructive)),
        ("web_search", Some(Effect::Read)),
        ("db.drop_database", Some(Effect::Destructive)),
        ("removeMember", Some(Effect::Destructive)),
        ("db.schema.read", Some(Effect::Read)),
        ("get_or_create_user", Some(Effect::Admin)),
        ("list_roles", Some(Effect::Read)),
        ("update_role", Some(Effect::Admin)),
        ("grant_access", Some(Effect::Admin)),
        ("send_email", Some(Effect::Mutating)),
        ("frobnicate", None),
        ("run_sql", None),
        ("execute", None),
    ];
    for (name, want) in cases {
        assert_eq!(name_tier(name).effect, want, "{name}");
    }
}

/// The leading verb is read first; each lowering rule sits next to its twin.
#[test]
fn a_noun_like_verb_ending_a_read_name_is_its_object() {
    assert_eq!(name_tier("read_purge_schedule").effect, Some(Effect::Read));
    assert_eq!(name_tier("get_backup_log").effect, Some(Effect::Read));
    // Twins: a removal verb at the end, a connective, or no leading read still count.
    assert_eq!(name_tier("read_purge").effect, Some(Effect::Destructive));
    assert_eq!(
        name_tier("read_and_schedule").effect,
        Some(Effect::Mutating)
    );
    assert_eq!(
        name_tier("purge_schedule").effect,
        Some(Effect::Destructive)
    );
    assert_eq!(name_tier("create_schedule").effect, Some(Effect::Mutating));
}

#[test]
fn leading_read_verb_names_what_is_read() {
    use Effect::{Admin, Destructive, Mutating, Read};
    let cases = [
        ("get_admin_settings", Some(Read)),
        ("update_admin_settings", Some(Admin)),
        ("get_purge_history", Some(Read)),
        ("purge_history", Some(Destructive)),
        ("get_and_purge_history", Some(Destructive)),
        ("search_drops", Some(Read)),
        ("drop_searches", Some(Destructive)),
        ("list_deleted_items", Some(Read)),
        ("delete_listed_items", Some(Destructive)),
        ("get_and_delete_x", Some(Destructive)),
        ("getAndDeleteX", Some(Destructive)),
        ("list_then_drop", Some(Destructive)),
        ("fetch_delete", Some(Destructive)),
        ("view_delete_all", Some(Destructive)),
        ("get_upload_url", Some(Read)),
        ("delete_file", Some(Destructive)),
        ("purge_cache", Some(Destructive)),
        ("drop_table", Some(Destructive)),
        ("mcp__fs__search_files", Some(Read)),
        ("run_delete", Some(Destructive)),
        ("read_write_file", Some(Mutating)),
        ("get_set_config", Some(Admin)),
        ("get_update_status", Some(Read)),
        ("getWipeStatus", Some(Read)),
        ("get_wipe_progress", Some(Read)),
        ("getAndWipe", Some(Destructive)),
        ("get_then_delete", Some(Destructive)),
        ("wipe_get_status", Some(Destructive)),
        ("fetch_and_purge", Some(Destructive)),
        ("get_and_wipe_status", Some(Destructive)),
        ("get_wipe_status_then_wipe", Some(Destructive)),
        ("wipe_status", Some(Destructive)),
        ("get_rid_of_user", Some(Destructive)),
        ("list_grants", Some(Read)),
        ("get_wipe_disk", Some(Destructive)),
    ];
    for (name, want) in cases {
        assert_eq!(name_tier(name).effect, want, "{name}");
    }
}

#[test]
fn synonyms_and_grants() {
    use Effect::{Admin, Destructive};
    for name in [
        "empty_trash",
        "wipe_disk",
        "nuke_environment",
        "erase_records",
        "shred_documents",
        "obliterate_repo",
    ] {
        assert_eq!(name_tier(name).effect, Some(Destructive), "{name}");
    }
    for name in [
        "addCollaborator",
        "add_member",
        "set_permissions",
        "grant_role",
        "grantAccess",
        "invite_user",
    ] {
        assert_eq!(name_tier(name).effect, Some(Admin), "{name}");
    }
}

#[test]
fn making_something_public_is_a_permission_change() {
    use Effect::{Admin, Mutating, Read};
    let cases = [
        ("sharePublicly", Admin),
        ("make_public", Admin),
        ("share_with_anyone", Admin),
        ("set_world_readable", Admin),
        ("makeRepoPublic", Admin),
        ("share_document", Mutating),
        ("post_public_comment", Mutating),
        ("get_public_url", Read),
        ("open_firewall", Admin),
        ("open_port", Admin),
        ("open_file", Read),
        ("open_url", Read),
        ("open_access_log", Read),
        ("list_public_repos", Read),
        ("search_shared_with_anyone", Read),
    ];
    for (name, want) in cases {
        assert_eq!(name_tier(name).effect, Some(want), "{name}");
    }
}

#[test]
fn look_alike_names_are_never_lower() {
    let cyrillic = name_tier("db.dr\u{043E}p_database");
    assert_eq!(cyrillic.effect, Some(Effect::Destructive));
    assert_eq!(cyrillic.normalised.as_deref(), Some("db.drop_database"));
    let fullwidth = name_tier("\u{FF44}\u{FF52}\u{FF4F}\u{FF50}_table");
    assert_eq!(fullwidth.effect, Some(Effect::Destructive));
    let zw = name_tier("delete\u{200B}_file");
    assert_eq!(zw.effect, Some(Effect::Destructive));
    // A changed name is at least mutating, even when it reads as a read.
    let read = name_tier("g\u{0435}t_users");
    assert_eq!(read.effect, Some(Effect::Mutating));
    assert!(name_tier("get_users").normalised.is_none());
    // Small capitals fold to the letters they show.
    assert_eq!(
        name_tier("list_\u{1D05}\u{1D07}\u{029F}").effect,
        Some(Effect::Destructive)
    );
    assert_eq!(
        name_tier("\u{1D05}\u{1D07}\u{029F}\u{1D07}\u{1D1B}\u{1D07}_records").effect,
        Some(Effect::Destructive)
    );
    // A letter left without an ASCII look-alike beside ASCII ones: not a read.
    assert_eq!(name_tier("list_\u{0434}ata").effect, Some(Effect::Mutating));
    assert_eq!(name_tier("get_users").effect, Some(Effect::Read));
}

#[test]
fn phrasal_glued_and_foreign_removal_verbs() {
    use Effect::{Destructive, Mutating};
    for name in [
        "tear_down_stack",
        "tearDownEnvironment",
        "wipe_out_bucket",
        "blow_away_cluster",
        "shut_down_node",
        "take_down_site",
        "clean_out_queue",
        "zero_out_disk",
        "wipeout",
        "takedown_service",
        "unpublish_package",
        "reimage_host",
        "cull_snapshots",
        "yank_crate_version",
        "flushall",
        "dropdb",
        "deluser",
        "userdel",
        "killall",
        "purgeall",
        "wipeall",
        "truncatetable",
        "rmtree",
        "supprimer_base_de_donnees",
        "effacer_fichiers",
        "borrar_tabla",
        "eliminar_usuario",
        "l\u{00F6}schen_datenbank",
        "loeschen_datenbank",
        "entfernen_benutzer",
        "cancellare_tabella",
        "apagar_registros",
        "verwijderen_bestand",
        "\u{0443}\u{0434}\u{0430}\u{043B}\u{0438}\u{0442}\u{044C}_\u{0431}\u{0430}\u{0437}\u{0443}",
        "udalit_bazu",
        "\u{5220}\u{9664}\u{6570}\u{636E}\u{5E93}",
        "\u{524A}\u{9664}",
    ] {
        assert_eq!(name_tier(name).effect, Some(Destructive), "{name}");
    }
    // Twins: the same letters that are not a removal.
    for (name, want) in [
        ("dropdown_options", None),
        ("delivery_status", Some(Effect::Read)),
        ("killer_features", None),
        ("rmd160_hash", None),
        ("tear_sheet", None),
        ("roll_back_release", Some(Mutating)),
        ("list_dropdb_jobs", Some(Effect::Read)),
        ("get_supprimer_docs", Some(Effect::Read)),
    ] {
        assert_eq!(name_tier(name).effect, want, "{name}");
    }
}

#[test]
fn credentials_and_monitoring_are_access() {
    use Effect::{Admin, Mutating, Read};
    for (name, want) in [
        ("mint_service_token", Admin),
        ("issue_api_key", Admin),
        ("generate_access_token", Admin),
        ("rotate_root_credentials", Admin),
        ("reset_admin_password", Admin),
        ("roll_master_key", Admin),
        ("silence_all_alerts", Admin),
        ("mute_alarms", Admin),
        ("suppress_monitor", Admin),
        ("disable_audit_logging", Admin),
        ("stop_logging", Admin),
        ("turn_off_alerting", Admin),
        // Twins.
        ("issue_read", Read),
        ("issue_key_lookup", Read),
        ("issue_token_status", Read),
        ("list_issues", Read),
        ("create_issue", Mutating),
        // Money sent cannot be called back (the nineteenth sets).
        ("issue_refund", Effect::Destructive),
        ("get_root_cause_analysis", Read),
        ("list_silenced_alerts", Read),
        ("get_alert_silence_status", Read),
        ("mute_thread", Mutating),
        ("rotate_logs", Mutating),
        ("get_admin_token_expiry", Read),
    ] {
        assert_eq!(name_tier(name).effect, Some(want), "{name}");
    }
}

#[test]
fn generic_words_are_flagged() {
    assert!(name_tier("execute_sql").generic);
    assert!(name_tier("shell").generic);
    assert!(!name_tier("delete_file").generic);
}

/// The hash table of verbs answers as the four lists did, for every listed word, its plural,
/// its singular-looking forms and words of no list.
#[test]
fn verb_table_answers_as_the_lists() {
    let mut words: Vec<String> = Vec::new();
    for list in [
        READ,
        MUTATING,
        DESTRUCTIVE,
        ADMIN,
        GENERIC,
        ADMIN_NOUNS,
        NOUN_LIKE,
    ] {
        for w in list {
            words.push(w.to_string());
            words.push(format!("{w}s"));
            words.push(format!("{w}ss"));
            if let Some(stem) = w.strip_suffix('s') {
                words.push(stem.to_string());
            }
        }
    }
    words.extend(["", "s", "ss", "abcs", "zzz"].map(String::from));
    for w in &words {
        assert_eq!(verb_tier(w), verb_tier_by_lists(w), "{w}");
    }
}
