//! Vendor statements that no sqlparser dialect parses, known by their leading keywords: the
//! table in `statements.txt` (data read at first use). A statement that matches no form
//! keeps the verdict of [`super::worst_keyword`] (at least a write); one that matches gets
//! the worst of its forms too.

use std::collections::HashSet;
use std::sync::LazyLock;

use super::{Lexed, Tok};
use crate::Effect;
use crate::classify::content::args::{secret_path, write_risk};

const TABLE: &str = include_str!("statements.txt");

/// One token of a pattern.
#[derive(Debug, Clone, PartialEq)]
enum Pat {
    /// One of these keywords.
    Words(Vec<&'static str>),
    /// One name, dotted or quoted.
    Name,
    /// A string literal.
    Str,
    /// A string literal equal to one of these (case-insensitive, surrounding blanks and a
    /// trailing `:` ignored): `'NUL|/DEV/NULL'`.
    StrIs(Vec<&'static str>),
    Punct(char),
    /// A number below the bound.
    Below(f64),
    /// A number above the bound.
    Above(f64),
    /// The end of the statement (a `;` may follow).
    End,
}

/// What else a form looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flag {
    None,
    /// Its first string literal or `file://` URL is a path it writes.
    Writes,
    /// Its first string literal or `file://` URL is a local file it sends away.
    Sends,
}

#[derive(Debug)]
struct Form {
    effect: Effect,
    flag: Flag,
    lead: Vec<Pat>,
    then: Vec<Vec<Pat>>,
    what: &'static str,
}

/// A line of the table that does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FormError {
    pub line: usize,
    pub text: &'static str,
}

static FORMS: LazyLock<Vec<Form>> = LazyLock::new(|| parse(TABLE).unwrap_or_default());

fn pat(t: &'static str) -> Option<Pat> {
    let num = |s: &str| s.parse::<f64>().ok();
    Some(match t {
        "*" => Pat::Name,
        "$" => Pat::End,
        "'" => Pat::Str,
        _ if t.len() > 2 && t.starts_with('\'') && t.ends_with('\'') => {
            Pat::StrIs(t.get(1..t.len() - 1)?.split('|').collect())
        }
        "0" => Pat::Words(vec!["0"]),
        _ if t.len() == 1 && !t.starts_with(|c: char| c.is_ascii_alphabetic()) => {
            Pat::Punct(t.chars().next()?)
        }
        _ if t.starts_with('<') => Pat::Below(num(t.get(1..)?)?),
        _ if t.starts_with('>') => Pat::Above(num(t.get(1..)?)?),
        _ if t
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '|') =>
        {
            Pat::Words(t.split('|').filter(|w| !w.is_empty()).collect())
        }
        _ => return None,
    })
}

fn parse(text: &'static str) -> Result<Vec<Form>, FormError> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let err = || FormError {
            line: i + 1,
            text: raw,
        };
        let mut parts = line.splitn(3, ':');
        let (Some(head), Some(pattern), Some(what)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(err());
        };
        let mut head = head.split_whitespace();
        let effect = match head.next() {
            Some("read") => Effect::Read,
            Some("mutating") => Effect::Mutating,
            Some("destructive") => Effect::Destructive,
            Some("admin") => Effect::Admin,
            _ => return Err(err()),
        };
        let flag = match head.next() {
            None => Flag::None,
            Some("writes") => Flag::Writes,
            Some("sends") => Flag::Sends,
            Some(_) => return Err(err()),
        };
        let mut seqs: Vec<Vec<Pat>> = vec![Vec::new()];
        for t in pattern.split_whitespace() {
            if t == ".." {
                seqs.push(Vec::new());
            } else if let Some(last) = seqs.last_mut() {
                last.push(pat(t).ok_or_else(err)?);
            }
        }
        let mut seqs = seqs.into_iter();
        let lead = seqs.next().unwrap_or_default();
        let then: Vec<Vec<Pat>> = seqs.collect();
        if lead.is_empty() || then.iter().any(Vec::is_empty) {
            return Err(err());
        }
        out.push(Form {
            effect,
            flag,
            lead,
            then,
            what: what.trim(),
        });
    }
    Ok(out)
}

/// The tokens of a statement and where each ends.
#[derive(Clone, Copy)]
struct View<'a> {
    toks: &'a [(Tok, usize)],
    ends: &'a [usize],
}

/// The value of the number token `i` (the lexer keeps only whether it is zero).
fn number(text: &str, v: View, i: usize) -> Option<f64> {
    let (Tok::Word(w), start) = v.toks.get(i)? else {
        return None;
    };
    if !matches!(w.as_str(), "0" | "1") {
        return None;
    }
    let end = *v.ends.get(i)?;
    text.get(*start..end)?.parse::<f64>().ok()
}

/// Matches `pats` at token `i`; the index after the match.
fn match_at(text: &str, v: View, pats: &[Pat], mut i: usize) -> Option<usize> {
    let toks = v.toks;
    for (k, p) in pats.iter().enumerate() {
        if *p == Pat::End {
            let rest = toks.get(i..).unwrap_or_default();
            if rest.iter().all(|(t, _)| *t == Tok::Punct(';')) {
                continue;
            }
            return None;
        }
        // `CREATE OR REPLACE NETWORK POLICY`: the modifier after the first keyword.
        if k == 1
            && matches!(toks.get(i), Some((Tok::Word(w), _)) if w == "OR")
            && matches!(toks.get(i + 1), Some((Tok::Word(w), _)) if w == "REPLACE")
        {
            i += 2;
        }
        // A national string (`N'NUL'`) is a string literal.
        if matches!(p, Pat::Str | Pat::StrIs(_))
            && matches!(toks.get(i), Some((Tok::Word(w), _)) if w == "N")
            && matches!(toks.get(i + 1), Some((Tok::Str(_), _)))
        {
            i += 1;
        }
        let (t, _) = toks.get(i)?;
        match (p, t) {
            (Pat::Words(ws), Tok::Word(w)) if ws.contains(&w.as_str()) => i += 1,
            (Pat::Name, Tok::Word(_) | Tok::Ident(_) | Tok::Str(_)) => {
                i += 1;
                while matches!(toks.get(i), Some((Tok::Punct('.'), _)))
                    && matches!(toks.get(i + 1), Some((Tok::Word(_) | Tok::Ident(_), _)))
                {
                    i += 2;
                }
            }
            (Pat::Str, Tok::Str(_)) => i += 1,
            (Pat::StrIs(alts), Tok::Str(s))
                if alts
                    .iter()
                    .any(|a| s.trim().trim_end_matches(':').eq_ignore_ascii_case(a)) =>
            {
                i += 1
            }
            (Pat::Punct(c), Tok::Punct(d)) if c == d => i += 1,
            (Pat::Below(n), _) if number(text, v, i).is_some_and(|x| x < *n) => i += 1,
            (Pat::Above(n), _) if number(text, v, i).is_some_and(|x| x > *n) => i += 1,
            _ => return None,
        }
    }
    Some(i)
}

/// The index of the statement's first token, after opening parentheses.
fn start(toks: &[(Tok, usize)]) -> usize {
    toks.iter()
        .position(|(t, _)| *t != Tok::Punct('('))
        .unwrap_or(toks.len())
}

/// Matches a whole form: the index after its lead.
fn matches(text: &str, lx: &Lexed, f: &Form) -> Option<usize> {
    let v = View {
        toks: &lx.toks,
        ends: &lx.ends,
    };
    let after_lead = match_at(text, v, &f.lead, start(v.toks))?;
    let mut from = after_lead;
    for seq in &f.then {
        from = (from..lx.toks.len()).find_map(|j| match_at(text, v, seq, j))?;
    }
    Some(after_lead)
}

/// The path a statement names: its first string literal after `from`, or a `file://` URL.
fn path_in(text: &str, lx: &Lexed, from: usize) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    if let Some(p) = lower.find("file://") {
        let rest = text.get(p + "file://".len()..)?;
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '\'' || c == '"' || c == ';')
            .unwrap_or(rest.len());
        return rest.get(..end).map(str::to_string);
    }
    lx.toks.iter().skip(from).find_map(|(t, _)| match t {
        Tok::Str(s) => Some(s.clone()),
        _ => None,
    })
}

/// A form the statement matches.
pub(crate) struct Hit {
    pub effect: Effect,
    pub why: String,
    /// Index of the first token after the form's lead.
    pub after_lead: usize,
}

/// Every form the statement (`text`, lexed as `lx`) matches, with what its paths add.
pub(crate) fn hits(text: &str, lx: &Lexed) -> Vec<Hit> {
    let mut out = Vec::new();
    for f in FORMS.iter() {
        let Some(after_lead) = matches(text, lx, f) else {
            continue;
        };
        out.push(Hit {
            effect: f.effect,
            why: f.what.to_string(),
            after_lead,
        });
        let path = || path_in(text, lx, after_lead);
        match f.flag {
            Flag::None => {}
            Flag::Writes => {
                if let Some(p) = path()
                    && let Some((e, where_)) = write_risk(&p, false)
                {
                    out.push(Hit {
                        effect: e,
                        why: format!("{} into `{p}`: {where_}", f.what),
                        after_lead,
                    });
                }
            }
            Flag::Sends => {
                if let Some(p) = path().filter(|p| secret_path(p)) {
                    out.push(Hit {
                        effect: Effect::Admin,
                        why: format!("sends `{p}`, a file holding secrets, away"),
                        after_lead,
                    });
                }
            }
        }
    }
    out
}

/// A vendor read that no dialect parses, proven by its form (`statements.txt`, `read`
/// lines: `DESCRIBE WAREHOUSE w`, `LIST @stage`, `EXISTS TABLE t`, `SHOW ROW POLICIES`):
/// only when no other form matches, no keyword of the statement says more, and every token
/// after its lead is a name, a literal or `. , = * @ ~ / % - :` (no call, no second
/// statement keyword but `TABLE`, and `CREATE` right after `SHOW`).
pub(crate) fn read_form(lx: &Lexed, forms: &[Hit]) -> Option<&'static str> {
    let lead = forms
        .iter()
        .filter(|f| f.effect == Effect::Read)
        .map(|f| f.after_lead)
        .min()?;
    if forms.iter().any(|f| f.effect != Effect::Read) {
        return None;
    }
    let (_, why) = super::worst_keyword(lx);
    if !why.starts_with("does not parse") {
        return None;
    }
    let first = super::first_word(&lx.toks);
    let plain = lx
        .toks
        .iter()
        .enumerate()
        .skip(lead)
        .all(|(i, (t, _))| match t {
            Tok::Word(w) => {
                !super::STARTS.contains(&w.as_str())
                    || w == "TABLE"
                    || (w == "CREATE" && i == 1 && first == Some("SHOW"))
            }
            Tok::Ident(_) | Tok::Str(_) => true,
            Tok::Punct(c) => matches!(c, '.' | ',' | '=' | '*' | '@' | '~' | '/' | '%' | '-' | ':'),
        });
    let opens = lx.toks.first().is_some_and(|(t, _)| *t == Tok::Punct('('));
    (plain && !opens).then_some("reads (a vendor statement that only reads)")
}

/// A form's lead up to its end mark: `EXISTS TABLE t; …` starts like `EXISTS TABLE * $`.
fn open_lead(f: &Form) -> &[Pat] {
    f.lead.split(|p| *p == Pat::End).next().unwrap_or_default()
}

/// True if some open lead of two or more tokens matches at token `first`.
fn open_lead_matches(text: &str, toks: &[(Tok, usize)], first: usize) -> bool {
    let v = View { toks, ends: &[] };
    FORMS
        .iter()
        .any(|f| open_lead(f).len() >= 2 && match_at(text, v, open_lead(f), first).is_some())
}

/// The keywords the open leads of two or more tokens start with, or `None` when one starts
/// with anything else: a first word outside the set matches no such lead.
static SHAPED_FIRST: LazyLock<Option<HashSet<&'static str>>> = LazyLock::new(|| {
    let mut set = HashSet::new();
    for f in FORMS.iter() {
        let open = open_lead(f);
        if open.len() < 2 {
            continue;
        }
        match open.first() {
            Some(Pat::Words(ws)) => set.extend(ws.iter().copied()),
            _ => return None,
        }
    }
    Some(set)
});

/// Whether a text whose first token is the word `w` (uppercased) may start a vendor statement
/// of the table: false only when no open lead starts with that word, when [`shaped`] is false
/// whatever follows.
pub(crate) fn may_lead(w: &str) -> bool {
    SHAPED_FIRST.as_ref().is_none_or(|set| set.contains(w))
}

/// True if `text` (lexed as `toks`) starts like a vendor statement of the table with at
/// least two keywords (`ALTER WAREHOUSE`, `EXCHANGE TABLES`, `LIST @`) and looks like code,
/// not prose: its first word is in capitals, or it holds a literal, a quoted name or one
/// of `; ( = @ ~`. "Export data to a sheet" is prose; `EXPORT DATA OPTIONS(…)` is SQL.
pub(crate) fn shaped(text: &str, toks: &[(Tok, usize)]) -> bool {
    let first = start(toks);
    // Most texts are prose or plain SQL: a first word that starts no lead matches none.
    if let Some((Tok::Word(w), _)) = toks.get(first)
        && SHAPED_FIRST
            .as_ref()
            .is_some_and(|set| !set.contains(w.as_str()))
    {
        return false;
    }
    if !open_lead_matches(text, toks, first) {
        return false;
    }
    let code = toks.iter().any(|(t, _)| {
        matches!(
            t,
            Tok::Punct(';' | '(' | '=' | '@' | '~') | Tok::Str(_) | Tok::Ident(_)
        )
    });
    let capitals = toks
        .get(first)
        .and_then(|(_, p)| text.get(*p..))
        .is_some_and(|r| {
            r.chars()
                .take_while(|c| c.is_alphabetic())
                .all(|c| c.is_ascii_uppercase())
        });
    code || capitals
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A first word outside `SHAPED_FIRST` matches no open lead, whatever follows it; the set
    /// exists (every such lead starts with keywords).
    #[test]
    fn shaped_first_words_reject_only_what_matches_nothing() {
        let Some(set) = SHAPED_FIRST.as_ref() else {
            unreachable!("a lead starts with something other than keywords")
        };
        let mut words: Vec<&str> = FORMS
            .iter()
            .flat_map(|f| f.lead.iter().chain(f.then.iter().flatten()))
            .filter_map(|p| match p {
                Pat::Words(ws) => Some(ws.iter().copied()),
                _ => None,
            })
            .flatten()
            .collect();
        words.extend([
            "WEEKLY", "A", "B", "SELECT", "0", "1", "GET", "LIST", "EXPORT",
        ]);
        let seconds: Vec<&str> = words
            .iter()
            .step_by(words.len() / 16 + 1)
            .copied()
            .collect();
        for first in &words {
            for second in &seconds {
                for tail in ["", " x", " @s", " TABLE t", " 'f'"] {
                    let text = format!("{first} {second}{tail}");
                    let lx = super::super::lex(&text);
                    let at = start(&lx.toks);
                    let rejected = matches!(lx.toks.get(at), Some((Tok::Word(w), _)) if !set.contains(w.as_str()));
                    if rejected {
                        assert!(!open_lead_matches(&text, &lx.toks, at), "{text:?}");
                    }
                }
            }
        }
    }
    use crate::classify::content::sqllex::lex;

    #[test]
    fn the_table_parses() {
        let forms = parse(TABLE).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(forms.len() > 80);
        assert!(parse("destructive: ALTER ..: x").is_err());
        assert!(parse("worse: DROP: x").is_err());
        assert!(parse("read: drop: x").is_err());
    }

    fn worst(s: &str) -> Option<Effect> {
        hits(s, &lex(s))
            .into_iter()
            .map(|h| h.effect)
            .reduce(Effect::max)
    }

    #[test]
    fn forms_by_leading_keywords() {
        use Effect::*;
        assert_eq!(worst("ALTER WAREHOUSE w SUSPEND"), Some(Destructive));
        assert_eq!(
            worst("alter warehouse if exists w abort all queries"),
            Some(Destructive)
        );
        assert_eq!(worst("ALTER WAREHOUSE w RESUME"), Some(Mutating));
        assert_eq!(
            worst("ALTER WAREHOUSE w SET AUTO_SUSPEND = 60"),
            Some(Mutating)
        );
        assert_eq!(worst("DETACH TABLE db.t PERMANENTLY"), Some(Destructive));
        assert_eq!(worst("VACUUM t RETAIN 0 HOURS"), Some(Destructive));
        assert_eq!(worst("VACUUM t RETAIN 167 HOURS"), Some(Destructive));
        assert_eq!(worst("VACUUM t RETAIN 168 HOURS"), Some(Mutating));
        assert_eq!(worst("VACUUM t RETAIN 720 HOURS"), Some(Mutating));
        assert_eq!(worst("EXPORT DATABASE '/home/u/.ssh/'"), Some(Admin));
        assert_eq!(worst("EXPORT DATABASE 'backup_dir'"), Some(Mutating));
        assert_eq!(worst("PUT file:///home/u/.ssh/id_rsa @s"), Some(Admin));
        assert_eq!(worst("PUT file:///tmp/data.csv @s"), Some(Mutating));
        assert_eq!(worst("GET @s file:///home/u/.ssh/"), Some(Admin));
        assert_eq!(worst("GET @s file:///tmp/out/"), Some(Mutating));
        assert_eq!(worst("SHOW ROW POLICIES"), Some(Read));
        assert_eq!(
            worst("CREATE OR REPLACE NETWORK POLICY p ALLOWED_IP_LIST = ('0.0.0.0/0')"),
            Some(Admin)
        );
        assert_eq!(worst("DESCRIBE WAREHOUSE w"), Some(Read));
        assert_eq!(worst("DESCRIBE WAREHOUSE w;"), Some(Read));
        // Twins: more than one name after a describe is not a known read.
        assert_eq!(worst("DESCRIBE WAREHOUSE w SUSPEND"), None);
        assert_eq!(worst("EXISTS TABLE db.t"), Some(Read));
        assert_eq!(worst("EXISTS TABLE db.t x"), None);
        assert_eq!(worst("SELEC 1"), None);
        // A log backup to the null device breaks the chain; to a file it is a backup.
        assert_eq!(worst("BACKUP LOG s TO DISK = 'NUL'"), Some(Destructive));
        assert_eq!(worst("backup log s to disk='nul:'"), Some(Destructive));
        assert_eq!(worst("BACKUP LOG s TO DISK = N'NUL'"), Some(Destructive));
        assert_eq!(
            worst("BACKUP LOG s TO DISK = 'x.trn', DISK = '/dev/null'"),
            Some(Destructive)
        );
        assert_eq!(
            worst("BACKUP LOG s TO DISK = 'D:\\bk\\nul_log.trn'"),
            Some(Mutating)
        );
        assert_eq!(worst("DESCRIBE HISTORY t LIMIT 20"), Some(Read));
        assert_eq!(worst("DESCRIBE HISTORY t LIMIT 20 x"), None);
    }

    #[test]
    fn prose_is_not_a_vendor_statement() {
        let shape = |s: &str| shaped(s, &lex(s).toks);
        assert!(shape("EXCHANGE TABLES db.a AND db.b"));
        assert!(shape("exchange tables a and b;"));
        assert!(shape("get @stage/x file:///tmp/"));
        assert!(shape("EXPORT DATA OPTIONS(uri='gs://b/*') AS SELECT 1"));
        assert!(!shape("Export data to a sheet"));
        assert!(!shape("exchange tables with the neighbours"));
        assert!(!shape("Load data from the staging bucket"));
        assert!(!shape("Get the weather"));
    }
}
