//! Unit tests of `code.rs`.
use super::*;

fn eff(lang: &str, code: &str) -> Option<Effect> {
    let mut ctx = Ctx::new();
    analyse(&mut ctx, lang, code, 0);
    ctx.max_effect()
}

#[test]
fn destructive_calls() {
    assert_eq!(
        eff("python", "import shutil; shutil.rmtree('/tmp/x')"),
        Some(Destructive)
    );
    assert_eq!(
        eff("js", "require('fs').rmSync('/tmp/x', {recursive: true})"),
        Some(Destructive)
    );
    assert_eq!(
        eff("python", "import os; os.system('rm -rf /tmp/x')"),
        Some(Destructive)
    );
    assert_eq!(
        eff("js", "require('child_process').execSync('rm -rf /tmp/x')"),
        Some(Destructive)
    );
    assert_eq!(eff("perl", "system(\"rm -rf /tmp/x\")"), Some(Destructive));
    assert_eq!(eff("ruby", "`rm -rf /tmp/x`"), Some(Destructive));
    assert_eq!(
        eff("python", "import os; os.system(cmd)"),
        Some(Destructive)
    );
    assert_eq!(
        eff("python", "cur.execute(\"DROP TABLE t\")"),
        Some(Destructive)
    );
    assert_eq!(eff("mongo", "db.dropDatabase()"), Some(Destructive));
}

#[test]
fn plain_code_is_mutating() {
    assert_eq!(eff("python", "print(sum(load_rows()))"), Some(Mutating));
    // An argument vector of literals is judged as the command it is: `ls` reads, `touch`
    // writes, a vector built at run time or run through a shell or with input is not read.
    assert_eq!(
        eff("python", "import subprocess; subprocess.run(['ls', '-la'])"),
        Some(Read)
    );
    for code in [
        "import subprocess; subprocess.run(['touch', 'x'])",
        "import subprocess; subprocess.run(['ls', d])",
        "import subprocess; subprocess.run(['ls', '-la'], shell=True)",
        "import subprocess; subprocess.run(['sh'], input='ls')",
        "import subprocess; subprocess.run(['ls'] + extra)",
        "import subprocess; subprocess.run('ls -la', shell=True)",
        "import subprocess; subprocess.Popen(['ls']).wait()",
        "import subprocess; subprocess.run(['ls', '-la'], env={'LD_PRELOAD': 'x.so'})",
    ] {
        assert_eq!(eff("python", code), Some(Mutating), "{code}");
    }
}

#[test]
fn deletion_truncation_and_execution_in_every_language() {
    for (lang, code) in [
        ("js", "await Deno.remove('/srv', {recursive: true})"),
        (
            "js",
            "new Deno.Command('rm', {args: ['-rf', '/srv']}).outputSync()",
        ),
        (
            "js",
            "const {spawn} = require('child_process'); spawn('rm', ['-rf', '/srv'])",
        ),
        ("js", "require('fs').writeFileSync('/srv/db.json', '')"),
        ("python", "open('/srv/app/data.db', 'w')"),
        ("python", "open('/srv/app/data.db', 'w').close()"),
        ("python", "open('/srv/app/data.db', 'w').write('')"),
        (
            "python",
            "import subprocess; subprocess.run(['rm', '-rf', '/srv'])",
        ),
        ("ruby", "File.write('/srv/db', '')"),
        ("ruby", "File.open('/srv/db', 'w') {}"),
        ("php", "file_put_contents('/srv/db', '');"),
        ("perl", "open(my $fh, '>', '/srv/db'); close $fh"),
        ("perl", "use File::Path; rmtree('/srv')"),
    ] {
        assert_eq!(eff(lang, code), Some(Destructive), "{lang}: {code}");
    }
    // Their twins that write content or run a read are writes, not deletions.
    for (lang, code) in [
        ("python", "open('out.txt', 'w').write('hello')"),
        (
            "js",
            "require('fs').writeFileSync('out.json', JSON.stringify(x))",
        ),
        (
            "python",
            "import subprocess; subprocess.run(['touch', 'x'])",
        ),
    ] {
        assert_eq!(eff(lang, code), Some(Mutating), "{lang}: {code}");
    }
}

#[test]
fn only_provably_pure_code_is_read() {
    for (lang, code) in [
        ("python", "print(1 + 1)"),
        (
            "python",
            "import json, sys; print(json.load(sys.stdin)['name'])",
        ),
        (
            "python",
            "import sys; print(len(sys.stdin.read().splitlines()))",
        ),
        ("python", "print('rm -rf /')"),
        ("js", "console.log([1, 2, 3].map(x => x * 2).join(','))"),
        ("js", "console.log(process.version, process.platform)"),
        ("python", "import os; print(os.listdir('.'))"),
        ("python", "print(open('/etc/hostname').read())"),
        ("js", "console.log(require('fs').readdirSync('.'))"),
        ("ruby", "puts 1"),
        ("perl", "print if /DROP/"),
        ("php", "echo file_get_contents('composer.json');"),
    ] {
        assert_eq!(eff(lang, code), Some(Read), "{lang}: {code}");
    }
    // Twins: one call, import, prefix or word off the list and it is not read.
    for (lang, code) in [
        ("python", "print(f'{len(x)}')"),
        ("python", "import os; print(os.listdir('.')); os.mkdir('x')"),
        ("python", "print(open('notes.txt', 'a').read())"),
        ("python", "print(getattr(x, 'y'))"),
        ("python", "import antigravity"),
        ("python", "sys.exit(print(1))"),
        ("js", "console.log(process.mainModule)"),
        ("js", "process.exit(1)"),
        ("js", "process.binding('fs')"),
        (
            "js",
            "console.log(this.constructor.constructor('return 1')())",
        ),
        (
            "js",
            "console.log(require('fs').readdirSync('.')); require('fs').mkdirSync('x')",
        ),
        ("", "print(1 + 1)"),
        ("lua", "print(1)"),
        ("ruby", "puts open('x').read"),
    ] {
        assert_eq!(eff(lang, code), Some(Mutating), "{lang}: {code}");
    }
    for (lang, code) in [
        (
            "python",
            "print(f\"{__import__('os').system('rm -rf /srv')}\")",
        ),
        (
            "python",
            "import sys; print(sys.modules['os'].system('rm -rf /srv'))",
        ),
    ] {
        assert_eq!(eff(lang, code), Some(Destructive), "{lang}: {code}");
    }
}

#[test]
fn destructive_methods_by_technique_and_their_twins() {
    for (lang, code, want) in [
        (
            "python",
            "import boto3\nboto3.resource('s3').Bucket('prod').objects.all().delete()",
            Destructive,
        ),
        ("python", "Order.objects.all().delete()", Destructive),
        ("python", "df.drop(['x'])", Destructive),
        ("js", "db.users.drop()", Destructive),
        ("js", "await knex('t').del()", Destructive),
        ("js", "await prisma.user.deleteMany({})", Destructive),
        ("ruby", "User.destroy_all", Destructive),
        (
            "python",
            "iam.attach_role_policy(RoleName='r', PolicyArn=a)",
            Admin,
        ),
        (
            "ruby",
            "File.write('/etc/crontab', '* * * * * root x')",
            Admin,
        ),
        (
            "go",
            "os.WriteFile(os.Getenv(\"HOME\")+\"/.ssh/authorized_keys\", k, 0600)",
            Admin,
        ),
        ("perl", "open(my $fh, '>>', \"$ENV{HOME}/.profile\")", Admin),
        ("php", "$f = 'unlink'; $f('/srv/x');", Destructive),
        // Twins: in memory, one document, a new file, a read.
        // A frame's `drop(columns=…)` only computes (read); `df.drop(['x'])` above does not.
        ("python", "df.drop(columns=['x'])", Read),
        ("python", "df.drop_duplicates().dropna()", Mutating),
        ("js", "db.users.deleteOne({_id: 1})", Mutating),
        ("ruby", "File.write('notes.txt', 'x')", Mutating),
        ("python", "open('/tmp/x', 'w').write('y')", Mutating),
        (
            "js",
            "console.log(require('fs').readFileSync('a', 'hex'))",
            Read,
        ),
    ] {
        assert_eq!(eff(lang, code), Some(want), "{lang}: {code}");
    }
}

#[test]
fn names_in_strings_and_comments_are_not_calls_unless_run() {
    assert_eq!(
        eff("python", "x = 1  # shutil.rmtree('/srv')\nsave(x)"),
        Some(Mutating)
    );
    assert_eq!(eff("python", "log('os.remove(p) failed')"), Some(Mutating));
    // A string that code runs is code.
    assert_eq!(eff("python", "exec('os.remove(p)')"), Some(Destructive));
    assert_eq!(
        eff("python", "eval(\"shutil.rmtree('/srv')\")"),
        Some(Destructive)
    );
}

#[test]
fn redis() {
    assert_eq!(redis_command("FLUSHALL").0, Destructive);
    assert_eq!(redis_command("config set dir /tmp").0, Admin);
    assert_eq!(redis_command("GET k").0, Read);
    assert_eq!(redis_command("SET k v").0, Mutating);
}
