//! The read proof's rules beside their adversarial twins.
use super::super::lex::lex;
use super::*;

fn read(lang: Lang, code: &str) -> bool {
    let lx = lex(lang, code);
    let ch = chains::chains(&lx, lang);
    let why = why_not(lang, code, &lx, &ch);
    if let Some(w) = &why {
        eprintln!("{lang:?} not read ({w}): {code}");
    }
    why.is_none()
}

#[test]
fn reads_and_their_twins() {
    // (language, read, the same with one change that is not read)
    for (lang, yes, no) in [
        (
            Lang::Python,
            "import os\nprint(os.listdir('/etc'))",
            "import os\n[os.remove(f) for f in os.listdir('/tmp/x')]",
        ),
        (
            Lang::Python,
            "print(open('/etc/os-release').read())",
            "print(open('/etc/passwd', 'w').read())",
        ),
        (
            Lang::Python,
            "print(open('x.txt', 'r').read())",
            "print(open('x.txt', 'r+').read())",
        ),
        (
            Lang::Python,
            "print(open('x.txt', mode='r').read())",
            "print(open('x.txt', mode='a').read())",
        ),
        (
            Lang::Python,
            "print(open('x.txt', encoding='utf8').read())",
            "print(open('x.txt', mode=m).read())",
        ),
        (
            Lang::Python,
            "import shutil\nprint(shutil.disk_usage('/'))",
            "import shutil\nprint(shutil.rmtree('/'))",
        ),
        (
            Lang::Python,
            "import os\nprint(os.listdir('.'))",
            "print(__import__('os').listdir('.'))",
        ),
        (
            Lang::Python,
            "import os\nprint(os.path.getsize('a'))",
            "import os\nprint(getattr(os, 'rem' + 'ove')('a'))",
        ),
        (
            Lang::Python,
            "from os import listdir\nprint(listdir('.'))",
            "from os import remove\nprint(remove('a'))",
        ),
        (
            Lang::Python,
            "from pathlib import Path\nprint(Path('a').read_text())",
            "from pathlib import Path\nprint(Path('a').replace('b'))",
        ),
        (
            Lang::Python,
            "import glob\nprint(glob.glob('*.py'))",
            "import glob, os\nx = os\nprint(x.replace('a', 'b'))",
        ),
        (
            Lang::Python,
            "print(\"os.remove('x') is dangerous\")",
            "print(f\"{os.remove('x')}\")",
        ),
        (
            Lang::Python,
            "print(open('notes.txt').read())",
            "print(open('/home/u/.ssh/id_rsa').read())",
        ),
        (
            Lang::Python,
            "import sys\nprint(sys.version)",
            "import sys\nprint(sys.modules['os'].system('id'))",
        ),
        (
            Lang::Python,
            "import json\nprint(json.dumps({'a': 1}))",
            "import pickle\nprint(pickle.loads(b))",
        ),
        (Lang::Python, "print(1)", "!rm -rf /x\nprint(1)"),
        (
            Lang::Python,
            "def f(x):\n    return x * 2\nprint(f(2))",
            "print(exec('x'))",
        ),
        (
            Lang::Js,
            "console.log(require('fs').readdirSync('.'))",
            "console.log(require('fs').rmSync('.'))",
        ),
        (
            Lang::Js,
            "console.log(require('fs').readFileSync('package.json', {encoding: 'utf8', flag: 'r'}))",
            "console.log(require('fs').readFileSync('package.json', {encoding: 'utf8', flag: 'w'}))",
        ),
        (
            Lang::Js,
            "const fs = require('fs');\nconsole.log(fs.readFileSync('a.txt', 'utf8'))",
            "const fs = require('fs');\nconsole.log(fs.readFileSync('a.txt', 'utf8')); fs.writeFileSync('a.txt', '')",
        ),
        (
            Lang::Js,
            "const fs = require('node:fs');\nconsole.log(fs.statSync('a').size)",
            "const m = 'fs';\nconsole.log(require(m).statSync('a').size)",
        ),
        (
            Lang::Js,
            "console.log([1,2].map(x => x * 2))",
            "console.log([1,2].map(x => x * 2).constructor.constructor('return process')())",
        ),
        (
            Lang::Js,
            "console.log(Deno.readTextFileSync('a.txt'))",
            "Deno.writeTextFileSync('a.txt', 'x')",
        ),
        (
            Lang::Js,
            "import fs from 'fs';\nconsole.log(fs.readdirSync('.'))",
            "import('fs').then(f => f.rmSync('x'))",
        ),
        (
            Lang::Js,
            "console.log(`total`.length)",
            "console.log(`${require('child_process').execSync('id')}`)",
        ),
        (
            Lang::Ruby,
            "puts File.read('a.txt')",
            "puts File.write('a.txt', '')",
        ),
        (
            Lang::Ruby,
            "puts Dir.glob('*.rb').map(&:upcase)",
            "puts Dir.glob('*.rb').each(&:delete)",
        ),
        (
            Lang::Ruby,
            "require 'json'\nputs JSON.parse(File.read('a.json'))['x']",
            "require 'fileutils'\nFileUtils.rm_rf('x')",
        ),
        (Lang::Ruby, "x = [1, 2]\nputs x.sum", "puts `id`"),
        (
            Lang::Ruby,
            "puts \"v: \" + RUBY_VERSION",
            "puts \"#{system('id')}\"",
        ),
        (
            Lang::Ruby,
            "File.readlines('a').each { |l| puts l.strip }",
            "File.readlines('a').each { |l| system l }",
        ),
        (Lang::Perl, "print if /DROP/", "unlink if /DROP/"),
        (Lang::Perl, "print $_ if /x/; s/a/b/g", "s/a/system('id')/e"),
        (
            Lang::Perl,
            "my @f = split /,/; print join(\"\\t\", @f), \"\\n\"",
            "my @f = split /,/; print qx{id}",
        ),
        (
            Lang::Perl,
            "use strict; print scalar(@ARGV)",
            "use File::Path; print scalar(@ARGV)",
        ),
        (Lang::Perl, "print STDERR \"x\\n\"", "print FH \"x\\n\""),
        (
            Lang::Php,
            "echo file_get_contents('composer.json');",
            "echo file_put_contents('composer.json', '');",
        ),
        (
            Lang::Php,
            "<?php print_r(scandir('.'));",
            "<?php print_r(array_map('unlink', glob('*')));",
        ),
        (
            Lang::Php,
            "print_r(array_map(fn($x) => $x * 2, [1, 2]));",
            "$f = 'system'; $f('id');",
        ),
        (Lang::Php, "echo PHP_VERSION;", "echo `id`;"),
        (
            Lang::Php,
            "echo file_get_contents('a.txt');",
            "echo file_get_contents('php://filter/resource=/etc/shadow');",
        ),
    ] {
        assert!(read(lang, yes), "{lang:?} should be read: {yes}");
        assert!(!read(lang, no), "{lang:?} must not be read: {no}");
    }
}

#[test]
fn go_on_its_list_and_unknown_languages_never_read() {
    // Go has its own short read list (`golang.rs`); anything off it is not read.
    assert!(read(
        Lang::Go,
        "package main\nimport \"fmt\"\nfunc main() { fmt.Println(1) }"
    ));
    assert!(!read(
        Lang::Go,
        "package main\nimport \"os\"\nfunc main() { os.Remove(\"x\") }"
    ));
    assert!(!read(
        Lang::Go,
        "package main\nimport \"syscall\"\nfunc main() { syscall.Sync() }"
    ));
    assert!(!read(Lang::Other, "print(1)"));
}

#[test]
fn sdk_read_verbs_and_their_twins() {
    for n in [
        "list_buckets",
        "describe_instances",
        "get_object",
        "head_object",
        "count_documents",
        "find_one",
        "read_namespaced_pod",
        "listNamespacedPod",
        "get_paginator",
    ] {
        assert!(allow::read_verb(n), "{n}");
    }
    for n in [
        "get_or_create",
        "find_one_and_delete",
        "find_one_and_update",
        "find_one_and_replace",
        "get_secret_value",
        "read_namespaced_secret",
        "get_session_token",
        "list",
        "delete_bucket",
        "connect_get_namespaced_pod_exec",
        "get_login_password",
        "watch_pods",
    ] {
        assert!(!allow::read_verb(n), "{n}");
    }
}

#[test]
fn sdk_clients_and_their_twins() {
    for (yes, no) in [
        (
            "import boto3\nprint(boto3.client('s3').list_buckets())",
            "import boto3\nboto3.client('s3').delete_bucket(Bucket='b')",
        ),
        (
            "import boto3\nc = boto3.client('s3')\nprint(c.list_buckets())",
            "import boto3\nc = boto3.client('s3')\nprint(c.list_buckets())\nc.delete_bucket(Bucket='b')",
        ),
        (
            "import boto3\nc = boto3.client('s3')\nprint(c.list_buckets())",
            "import boto3\nc = boto3.client('s3')\nprint(getattr(c, 'list_' + 'buckets')())",
        ),
        (
            "import boto3\nc = boto3.client('s3')\nprint(c.list_buckets())",
            "import boto3\nc = boto3.client('s3')\nf = c.delete_bucket\nprint(c.list_buckets())",
        ),
        (
            "from pymongo import MongoClient\nprint(MongoClient()['a'].b.count_documents({}))",
            "from pymongo import MongoClient\nprint(MongoClient()['a'].b.find_one_and_delete({}))",
        ),
        (
            "import psutil\nprint([p.info for p in psutil.process_iter(['pid'])])",
            "import psutil\n[p.kill() for p in psutil.process_iter(['pid'])]",
        ),
        (
            "import sqlite3\nprint(sqlite3.connect('file:a.db?mode=ro', uri=True).execute('SELECT 1').fetchone())",
            "import sqlite3\nprint(sqlite3.connect('file:a.db?mode=ro').execute('SELECT 1').fetchone())",
        ),
        (
            "import sqlite3\nprint(sqlite3.connect('file:a.db?mode=ro', uri=True).execute('SELECT 1').fetchone())",
            "import sqlite3\nprint(sqlite3.connect('file:a.db?mode=ro&mode=rwc', uri=True).execute('SELECT 1').fetchone())",
        ),
        (
            "import sqlite3\nprint(sqlite3.connect('file:a.db?mode=ro', uri=True).execute('SELECT 1').fetchone())",
            "import sqlite3\nprint(sqlite3.connect('file:a.db?mode=ro', uri=True).execute(q).fetchone())",
        ),
        (
            "import ast\nprint(ast.dump(ast.parse('x = 1')))",
            "import ast\nexec(compile(ast.parse('x = 1'), 'f', 'exec'))",
        ),
        (
            "import subprocess\nprint(subprocess.run(['git', 'log'], capture_output=True).stdout)",
            "import subprocess\nprint(subprocess.run(['git', 'log'], capture_output=True, shell=True).stdout)",
        ),
    ] {
        assert!(read(Lang::Python, yes), "{yes}");
        assert!(!read(Lang::Python, no), "{no}");
    }
}

#[test]
fn frame_drop_is_memory_but_a_bare_drop_is_not() {
    let frame = "import pandas as pd\ndf = pd.read_csv('data/users.csv')\nprint(df.drop(columns=['password_hash']).head())";
    assert!(read(Lang::Python, frame));
    assert!(!read(
        Lang::Python,
        "import pandas as pd\ndf = pd.read_csv('data/users.csv')\ndf.drop(columns=['a']).to_csv('data/users.csv')"
    ));
    assert!(!read(
        Lang::Python,
        "import pymongo\nc = pymongo.MongoClient()\nc.db.users.drop()"
    ));
}
