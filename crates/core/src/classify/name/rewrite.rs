//! Word forms the keyword tiers do not list, rewritten to the verb they mean before a name is
//! judged: phrasal verbs (`tear_down_stack`, `wipe_out`), verbs glued to their object
//! (`dropdb`, `flushall`, `userdel`), and removal verbs of other languages
//! (`supprimer_base_de_donnees`, `löschen`, `удалить`, `删除`).
//!
//! Each rewritten word keeps its written form for the reason (`tear down`, `supprimer`).

/// Phrasal verbs: the verb, its particle, and the keyword they mean.
const PHRASAL: &[(&str, &str, &str)] = &[
    ("tear", "down", "teardown"),
    ("wipe", "out", "wipe"),
    ("blow", "away", "destroy"),
    ("shut", "down", "shutdown"),
    ("take", "down", "destroy"),
    ("take", "offline", "stop"),
    ("bring", "down", "shutdown"),
    ("knock", "down", "destroy"),
    ("burn", "down", "destroy"),
    ("clean", "out", "purge"),
    ("clean", "up", "purge"),
    ("clear", "out", "clear"),
    ("zero", "out", "wipe"),
    ("zero", "fill", "wipe"),
    ("blank", "out", "wipe"),
    ("scrub", "out", "wipe"),
    ("rip", "out", "remove"),
    ("kick", "out", "remove"),
    ("throw", "away", "discard"),
    ("do", "away", "delete"),
    ("get", "rid", "delete"),
    ("spin", "down", "stop"),
    ("wind", "down", "stop"),
    ("power", "off", "poweroff"),
    ("power", "down", "poweroff"),
    ("turn", "off", "disable"),
    ("switch", "off", "disable"),
    ("shut", "off", "disable"),
    ("roll", "back", "rollback"),
    ("check", "out", "checkout"),
    // A form control chosen in a browser (`browser_select_option`) is an action, not a query.
    ("select", "option", "set"),
];

/// Verbs that are glued to the object they remove (`dropdb`, `flushall`, `rmtree`).
const GLUED_VERBS: &[&str] = &[
    "delete", "remove", "drop", "destroy", "purge", "truncate", "wipe", "kill", "erase", "rm",
    "del", "clear", "reset", "flush", "format", "nuke", "zap", "stop", "empty", "prune", "shred",
    "evict",
];

/// Objects and quantifiers a glued removal verb may take (`flushall`, `dropdb`, `deluser`).
/// A split needs the whole rest of the word to be one of these: `dropdown`, `delivery`,
/// `killer` and `rmd160` are not split.
const GLUED_OBJECTS: &[&str] = &[
    "all",
    "every",
    "everything",
    "db",
    "dbs",
    "database",
    "table",
    "user",
    "group",
    "index",
    "indexes",
    "indices",
    "key",
    "cache",
    "queue",
    "bucket",
    "dir",
    "file",
    "schema",
    "collection",
    "repo",
    "data",
    "disk",
    "volume",
    "node",
    "cluster",
    "snapshot",
    "branch",
    "row",
    "record",
    "instance",
    "account",
    "project",
    "session",
    "topic",
    "tree",
    "rf",
    "trash",
    "container",
    "image",
    "pod",
    "namespace",
    "stack",
    "env",
    "vm",
    "host",
    "server",
    "service",
    "job",
    "proc",
    "process",
    "backup",
    "history",
    "tenant",
    "org",
    "mailbox",
    "message",
    "item",
    "object",
    "blob",
    "partition",
    "keyspace",
    "secret",
    "token",
    "member",
    "role",
];

/// Verbs glued after the object they remove (`userdel`, `groupdel`); not `drop`, which
/// ends nouns (`filedrop`, `itemdrop`).
const GLUED_SUFFIX_VERBS: &[&str] = &["del", "rm", "delete", "remove", "purge", "wipe"];

/// Removal verbs of other languages, as they read once accents are folded (`löschen` reads
/// `loschen`; `détruire` reads `detruire`), and in Cyrillic.
const FOREIGN_REMOVALS: &[&str] = &[
    // French
    "supprimer",
    "supprime",
    "supprimez",
    "effacer",
    "efface",
    "detruire",
    "vider",
    "purger",
    // Spanish and Portuguese
    "borrar",
    "borra",
    "eliminar",
    "elimina",
    "destruir",
    "vaciar",
    "purgar",
    "apagar",
    "excluir",
    "deletar",
    "remover",
    // German
    "loschen",
    "loeschen",
    "losche",
    "loesche",
    "entfernen",
    "entferne",
    "vernichten",
    "zerstoren",
    "zerstoeren",
    "leeren",
    // Italian
    "cancellare",
    "cancella",
    "eliminare",
    "rimuovere",
    "distruggere",
    "svuotare",
    // Dutch
    "verwijderen",
    "verwijder",
    "vernietigen",
    // Polish
    "usun",
    "usunac",
    // Russian, transliterated and in Cyrillic
    "udalit",
    "udalyat",
    "udali",
    "steret",
    "unichtozhit",
    "ochistit",
    "удалить",
    "удали",
    "удалять",
    "стереть",
    "уничтожить",
    "очистить",
];

/// Removal verbs written in Chinese, Japanese or Korean: they are found inside a longer run
/// of such characters (`删除数据库`), which has no word breaks.
const CJK_REMOVALS: &[&str] = &[
    "删除", "刪除", "删掉", "清空", "清除", "销毁", "移除", "抹除", "擦除", "削除", "消去", "破棄",
    "抹消", "삭제", "제거",
];

/// One word of a name: the keyword it is judged by, and how it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Word {
    pub(super) key: String,
    pub(super) shown: String,
}

impl Word {
    fn plain(w: &str) -> Self {
        Word {
            key: w.to_string(),
            shown: w.to_string(),
        }
    }
    fn meaning(key: &str, shown: &str) -> Self {
        Word {
            key: key.to_string(),
            shown: shown.to_string(),
        }
    }
}

fn singular(word: &str) -> &str {
    match word.strip_suffix('s') {
        Some(stem) if word.len() > 3 && !stem.ends_with('s') => stem,
        _ => word,
    }
}

fn object(rest: &str) -> bool {
    GLUED_OBJECTS.contains(&rest) || GLUED_OBJECTS.contains(&singular(rest))
}

/// A word that glues a removal verb to its object (`dropdb`, `flushall`, `userdel`) or a
/// phrasal verb to its particle (`wipeout`, `takedown`): the words it splits into.
fn split_glued(w: &str) -> Option<Vec<Word>> {
    for (verb, particle, key) in PHRASAL {
        if w.strip_prefix(verb) == Some(particle) {
            return Some(vec![Word::meaning(key, w)]);
        }
    }
    for verb in GLUED_VERBS {
        if let Some(rest) = w.strip_prefix(verb)
            && object(rest)
        {
            return Some(vec![Word::meaning(verb, w), Word::plain(rest)]);
        }
    }
    for verb in GLUED_SUFFIX_VERBS {
        if let Some(rest) = w.strip_suffix(verb)
            && object(rest)
        {
            return Some(vec![Word::meaning(verb, w), Word::plain(rest)]);
        }
    }
    None
}

fn cjk(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}')
}

/// The words of a name with phrasal verbs, glued verbs and removal verbs of other languages
/// rewritten to the keyword they mean. `known` says whether a word is already a keyword of a
/// tier or a generic word: such words are never split (`rmdir`, `shutdown`).
pub(super) fn rewrite(words: Vec<String>, known: impl Fn(&str) -> bool) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::with_capacity(words.len());
    let mut i = 0;
    while let Some(w) = words.get(i) {
        let next = words.get(i + 1).map(String::as_str);
        if let Some((_, p, key)) = PHRASAL
            .iter()
            .find(|(v, p, _)| *v == w.as_str() && Some(*p) == next)
        {
            out.push(Word::meaning(key, &format!("{w} {p}")));
            i += 2;
            continue;
        }
        i += 1;
        let foreign = FOREIGN_REMOVALS.contains(&w.as_str())
            || (w.chars().any(cjk) && CJK_REMOVALS.iter().any(|r| w.contains(r)));
        if foreign {
            out.push(Word::meaning("delete", w));
        } else if w.is_ascii() && w.len() > 3 && !known(w) {
            match split_glued(w) {
                Some(parts) => out.extend(parts),
                None => out.push(Word::plain(w)),
            }
        } else {
            out.push(Word::plain(w));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(name: &[&str]) -> Vec<String> {
        let words = name.iter().map(|w| w.to_string()).collect();
        rewrite(words, |w| w == "rmdir")
            .into_iter()
            .map(|w| w.key)
            .collect()
    }

    #[test]
    fn glued_verbs_split_only_before_an_object() {
        assert_eq!(keys(&["dropdb"]), ["drop", "db"]);
        assert_eq!(keys(&["flushall"]), ["flush", "all"]);
        assert_eq!(keys(&["deluser"]), ["del", "user"]);
        assert_eq!(keys(&["userdel"]), ["del", "user"]);
        assert_eq!(keys(&["truncatetable"]), ["truncate", "table"]);
        assert_eq!(keys(&["rmdir"]), ["rmdir"]);
        assert_eq!(keys(&["wipeout"]), ["wipe"]);
        // Twins: the rest is not an object.
        for w in [
            "dropdown",
            "delivery",
            "killer",
            "rmd",
            "model",
            "dropbox",
            "formatdate",
        ] {
            assert_eq!(keys(&[w]), [w], "{w}");
        }
    }

    #[test]
    fn phrasal_and_foreign_verbs() {
        assert_eq!(keys(&["tear", "down", "stack"]), ["teardown", "stack"]);
        assert_eq!(keys(&["tear", "sheet"]), ["tear", "sheet"]);
        assert_eq!(keys(&["supprimer", "base"]), ["delete", "base"]);
        assert_eq!(
            keys(&["\u{5220}\u{9664}\u{6570}\u{636E}\u{5E93}"]),
            ["delete"]
        );
    }
}
