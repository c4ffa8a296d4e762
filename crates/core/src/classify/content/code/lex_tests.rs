//! Unit tests of the tokenizer.
use super::*;

fn toks(lang: Lang, code: &str) -> Vec<Tok> {
    lex(lang, code).toks
}

fn ident(s: &str) -> Tok {
    Tok::Ident(s.into())
}

#[test]
fn names_in_strings_and_comments_are_not_names() {
    let t = toks(Lang::Python, "print('os.remove(x)')  # shutil.rmtree");
    assert!(!t.contains(&ident("os")) && !t.contains(&ident("shutil")));
    let t = toks(Lang::Js, "/* fs.rmSync */ console.log(`x`) // rm");
    assert!(!t.contains(&ident("fs")) && !t.contains(&ident("rm")));
}

#[test]
fn hidden_code_is_marked() {
    let code = |lang, s| {
        toks(lang, s).iter().any(|t| {
            matches!(
                t,
                Tok::Str { code: true, .. } | Tok::Regex { code: true } | Tok::Exec(_)
            )
        })
    };
    assert!(code(Lang::Python, "print(f'{os.system(1)}')"));
    assert!(!code(Lang::Python, "print(f'{{x}}')"));
    assert!(code(Lang::Js, "console.log(`${x()}`)"));
    assert!(code(Lang::Ruby, "puts \"#{`id`}\""));
    assert!(code(Lang::Ruby, "%x(id)"));
    assert!(code(Lang::Perl, "s/x/system('id')/e"));
    assert!(code(Lang::Perl, "print qx{id}"));
    assert!(code(Lang::Perl, "print \"@{[ unlink 'x' ]}\""));
    assert!(code(Lang::Perl, "/(?{ unlink 'x' })/"));
    assert!(!code(Lang::Perl, "print if /DROP/"));
    assert!(!code(Lang::Perl, "s/a/b/g; tr/a-z/A-Z/"));
    assert!(code(Lang::Php, "echo \"{$x->run()}\";"));
    assert!(code(Lang::Php, "echo `id`;"));
}

#[test]
fn separators_and_brackets() {
    let t = toks(Lang::Ruby, "FileUtils::rm_rf('x')");
    assert_eq!(t.get(1), Some(&Tok::Dot));
    let t = toks(Lang::Php, "$x->delete();");
    assert_eq!(t.get(1), Some(&Tok::Dot));
    assert!(!lex(Lang::Python, "print((1)").clean);
    assert!(!lex(Lang::Python, "print('x)").clean);
    assert!(!lex(Lang::Ruby, "x = <<~EOS\nrm\nEOS").clean);
    assert!(lex(Lang::Js, "a.b(c[1], {d: 2})").clean);
}
