//! The program catalogue: the table's integrity (it parses, no name is in two rows, no flag is
//! listed twice in a row, every flag has an effect, every name resolves to its row), and
//! table-driven cases for each class of issue 10 (flags that execute or write, operations and
//! cloud CLIs, Windows, false alarms with their adversarial twins).

#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // a test: failing loudly is the point

#[allow(dead_code)]
#[path = "../src/classify/content/catalogue/table.rs"]
mod table;

use airlock_core::Effect;
use airlock_core::classify::classify;
use serde_json::json;

#[test]
fn table_parses_without_duplicates() {
    let cat = table::parse().unwrap_or_else(|e| panic!("catalogue: {e}"));
    assert!(cat.programs.len() > 100, "{} rows", cat.programs.len());
}

#[test]
fn every_flag_has_an_effect_and_every_name_resolves() {
    let cat = table::parse().expect("catalogue");
    for p in &cat.programs {
        let first = p.names[0];
        match &p.flags {
            // Flags judged by a handler, or a row whose effect is already a write.
            None => assert!(
                p.handler != table::Handler::None || p.base != table::Base::Read,
                "`{first}`: a read row must list its flags"
            ),
            Some(flags) => {
                for f in flags {
                    assert!(!f.names.is_empty(), "`{first}`: a flag without a name");
                    for n in &f.names {
                        assert!(
                            n.chars().count() <= 2
                                || !n.ends_with(|c: char| "=?+>$@!^%.~".contains(c)),
                            "`{first}`: flag name `{n}` ends in a suffix character (a typo?)"
                        );
                    }
                    for n in &f.names {
                        let found = p.flag(n).expect("a listed flag resolves");
                        assert_eq!(found.act, f.act, "`{first}` `{n}`");
                    }
                }
            }
        }
        for n in &p.names {
            let row = match p.handler {
                table::Handler::Cmdlet => cat.cmdlet(n),
                table::Handler::CmdBuiltin => cat.builtin(n),
                _ => cat.get(n),
            };
            let row = row.unwrap_or_else(|| panic!("name `{n}` does not resolve"));
            assert!(std::ptr::eq(row, p), "name `{n}` resolves to another row");
        }
    }
}

/// The Windows handler recognises some cmdlets by the first name of their row.
#[test]
fn cmdlets_with_a_handler_head_their_row() {
    let cat = table::parse().expect("catalogue");
    for (alias, head) in [
        ("iex", "invoke-expression"),
        ("iwr", "invoke-webrequest"),
        ("irm", "invoke-webrequest"),
        ("saps", "start-process"),
        ("ri", "remove-item"),
        ("del", "remove-item"),
    ] {
        let row = cat
            .cmdlet(alias)
            .unwrap_or_else(|| panic!("cmdlet `{alias}`"));
        assert_eq!(row.names[0], head, "`{alias}`");
    }
}

#[test]
fn gnu_long_options_resolve_by_unique_prefix() {
    let cat = table::parse().expect("catalogue");
    let rm = cat.get("rm").expect("rm");
    assert!(rm.long("--recur").is_some(), "abbreviation of --recursive");
    assert!(rm.long("--no-preserve").is_some());
    let ls = cat.get("ls").expect("ls");
    // `--col` is both `--color` and `--colour`: ambiguous, so unknown.
    assert!(ls.long("--col").is_none());
}

/// Every name of a row that a handler judges is known to that handler: none falls through to a
/// "no handler" or catalogue-load reason.
#[test]
fn every_handled_name_reaches_its_handler() {
    let cat = table::parse().expect("catalogue");
    let mut bad = Vec::new();
    for p in &cat.programs {
        if matches!(
            p.handler,
            table::Handler::Cmdlet | table::Handler::CmdBuiltin
        ) || p.names.iter().any(|n| n.contains(':'))
        {
            continue;
        }
        for n in &p.names {
            let c = classify("shell", &json!(format!("{n} x")), None, None);
            let text = c.reasons.join(" ");
            let unknown = format!("runs `{n}`, a program this classifier does not know");
            if text.contains("no handler")
                || text.contains(&unknown)
                || text.contains("did not load")
            {
                bad.push(format!("{n}: {text}"));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

fn effect(tool: &str, input: &str) -> Effect {
    classify(tool, &json!(input), None, None).effect
}

/// `(input, expected effect)` for a shell tool.
fn check(cases: &[(&str, Effect)]) {
    let mut bad = Vec::new();
    for (input, want) in cases {
        let got = effect("shell", input);
        if got != *want {
            let reasons = classify("shell", &json!(input), None, None).reasons;
            bad.push(format!("{input:?}: want {want:?}, got {got:?} {reasons:?}"));
        }
    }
    assert!(bad.is_empty(), "{} wrong:\n{}", bad.len(), bad.join("\n"));
}

use Effect::{Admin, Destructive, Mutating, Read};

#[test]
fn read_needs_every_flag_known() {
    check(&[
        ("ls -la", Read),
        ("ls --all --human-readable", Read),
        ("ls --human", Read), // GNU abbreviation
        ("ls --frobnicate", Mutating),
        ("head -20 file", Read),
        ("grep -rnE 'x|y' src", Read),
        ("grep -Z9 x", Mutating), // -9 is not a grep flag
        ("cat -Q file", Mutating),
        ("sort -o out.txt in.txt", Mutating),
        ("sort --output=/etc/passwd x", Admin),
        ("wc -l src/main.rs", Read),
    ]);
}

#[test]
fn flags_that_execute_or_write() {
    check(&[
        ("sed -n '1,5p' f", Read),
        ("sed 's/a/b/g' f", Read),
        ("sed 's/x/rm -rf \\/srv/e' f", Destructive),
        ("sed '1e rm -rf /srv/app' f", Destructive),
        ("sed 'w /etc/cron.d/x' f", Admin),
        ("sed -n 's/a/b/w out.txt' f", Mutating),
        ("sed --sandbox '1e rm -rf /srv' f", Read),
        ("sed -i 's/a/b/' f", Mutating),
        ("fd -e tmp -x rm -rf {}", Destructive),
        ("fd --exec-batch rm -rf", Destructive),
        ("fd -e rs", Read),
        ("find . -name x -delete", Destructive),
        ("find . -exec rm -rf {} \\;", Destructive),
        ("find . -fprint out.txt", Mutating),
        ("man -P 'rm -rf /srv/app' ls", Destructive),
        ("man ls", Read),
        ("uniq in.txt out.txt", Mutating),
        ("uniq in.txt", Read),
        ("tar -czf x.tgz src --remove-files", Destructive),
        ("tar -xf x.tar --to-command='rm -rf /srv/app'", Destructive),
        (
            "tar -cf x.tar src --checkpoint=1 --checkpoint-action=exec='rm -rf /srv/app'",
            Destructive,
        ),
        ("tar -tzf x.tgz", Read),
        ("ln -sf /dev/null ~/.bash_history", Destructive),
        ("ln -s a b", Mutating),
        ("date -s '2020-01-01'", Admin),
        ("date +%s", Read),
        ("dd if=/dev/zero of=/dev/sda", Destructive),
        ("rsync -a --delete src/ dst/", Destructive),
        ("rsync -a --remove-source-files src/ host:dst/", Destructive),
        ("rsync -e 'rm -rf /srv/app' src host:dst", Destructive),
        ("zip -T -TT 'rm -rf /srv/app' x.zip f", Destructive),
        ("git -c core.pager='rm -rf /srv/app' log", Destructive),
        ("git diff --output=/etc/passwd", Admin),
        ("git diff --output=x.patch", Mutating),
        ("ssh -o ProxyCommand='rm -rf /srv/app' host", Destructive),
        ("ssh -oProxyCommand='rm -rf /srv/app' host", Destructive),
        ("env -S 'rm -rf /srv/app'", Destructive),
        ("command -p rm -rf /srv/app", Destructive),
        ("awk 'BEGIN{system(\"rm -rf /srv/app\")}'", Destructive),
        ("curl -sXDELETE https://api.example.com/x", Destructive),
        ("curl -XPOST https://api.example.com/x", Mutating),
        ("less '+!rm -rf /srv/app' f", Destructive),
        ("dmesg -C", Destructive),
        ("vim -c ':!rm -rf /srv/app' f", Destructive),
        ("vim '+!rm -rf /srv/app' f", Destructive),
        ("vim -c ':wq' f", Mutating),
        ("socat TCP-LISTEN:4444 EXEC:'rm -rf /srv/app'", Destructive),
        ("xxd -r dump.hex /etc/cron.d/x", Admin),
        ("git clone -u 'rm -rf /srv/app' host:repo", Destructive),
        ("git clone 'ext::rm -rf /srv/app'", Destructive),
        ("git rebase -x 'rm -rf /srv/app' main", Destructive),
        ("git bisect run rm -rf /srv/app", Destructive),
        ("git submodule foreach rm -rf .", Destructive),
        ("npm exec -c 'rm -rf /srv/app'", Destructive),
        ("psql -o '|rm -rf /srv/app' -c 'select 1'", Destructive),
        ("mysql --pager='rm -rf /srv/app' -e 'select 1'", Destructive),
        ("mysql -e 'pager rm -rf /srv/app'", Destructive),
        ("sqlite3 x.db '.once |rm -rf /srv/app'", Destructive),
        ("awk '{print > \"/etc/passwd\"}' f", Admin),
        (
            "scp -o ProxyCommand='rm -rf /srv/app' a host:b",
            Destructive,
        ),
        ("man -H'rm -rf /srv/app' ls", Destructive),
        ("less -o /etc/profile f", Admin),
        ("git log --oneline -5", Read),
        ("git log --frobnicate", Mutating),
        ("git log --output=/etc/passwd", Admin),
        ("kubectl get pods -o wide -A", Read),
        ("kubectl get pods --as=admin", Admin),
        ("docker ps -a --format '{{.Names}}'", Read),
        ("docker container ls -a", Read),
        ("docker system df", Read),
        ("docker image ls --filter dangling=true", Read),
        ("git log --color-words -p", Read),
        ("curl -s https://example.com", Read),
        ("curl -s -o page.html https://example.com", Mutating),
        ("curl --frobnicate https://example.com", Mutating),
        ("hostname -F /etc/hostname", Admin),
        ("hostname -f", Read),
        ("mount /dev/sdb1", Admin),
        ("mount", Read),
        ("csplit f '/x/' '{*}'", Mutating),
        ("gpg --delete-secret-keys ABCD", Destructive),
        ("gpg --list-keys", Read),
        ("ssh-keygen -t ed25519 -f k", Mutating),
        ("ssh-keygen -l -f k.pub", Read),
        ("openssl x509 -in c.pem -noout -text", Read),
        ("openssl genrsa -out k.pem 2048", Mutating),
        ("rg --pre 'rm -rf /srv/app' x", Destructive),
        ("bat --pager='rm -rf /srv/app' f", Destructive),
        ("aws s3api get-object --bucket b --key k out.bin", Mutating),
        (
            "gcloud compute ssh vm --command='rm -rf /srv/app'",
            Destructive,
        ),
        ("heroku run rm -rf /app", Destructive),
        ("history -w /tmp/h", Mutating),
        ("find . -fprintf /etc/cron.d/x '%p'", Admin),
        ("expect -c 'spawn rm -rf /srv/app; expect eof'", Destructive),
        ("pm2 start 'rm -rf /srv/app' --name x", Destructive),
        (
            "aws ssm send-command --document-name AWS-RunShellScript --parameters 'commands=[\"rm -rf /srv/app\"]'",
            Destructive,
        ),
        ("heroku pg:reset DATABASE --confirm app", Destructive),
        ("firebase firestore:delete --all-collections", Destructive),
        ("virsh undefine vm1 --remove-all-storage", Destructive),
        ("virsh vol-delete disk.qcow2 --pool default", Destructive),
        ("podman pod rm -f web", Destructive),
        ("docker swarm leave --force", Destructive),
        ("kubectl apply -f dir/ --prune -l app=x", Destructive),
        ("pulumi state delete urn:x", Destructive),
        ("gh release delete-asset v1 a.zip", Destructive),
        ("btrfs subvolume delete /mnt/snap", Destructive),
        ("crictl rmp -a", Destructive),
        (
            "azcopy remove https://acct.blob.core.windows.net/c --recursive",
            Destructive,
        ),
        ("aws ec2 describe-instances", Read),
        ("heroku apps:info", Read),
    ]);
}

/// Abbreviated long options, where the program's parser accepts them.
#[test]
fn abbreviations_count_as_the_full_option() {
    check(&[
        ("git push --forc origin main", Destructive),
        ("git push --force-with origin main", Destructive),
        ("git reset --ha HEAD~3", Destructive),
        ("git branch --del --forc old", Destructive),
        ("git diff --out=/etc/passwd", Admin),
        ("git log --oneline", Read),
        ("tar -cf x.tar src --remove-f", Destructive),
        ("tar -xf x.tar --to-comm='rm -rf /srv/app'", Destructive),
        ("wget --meth=DELETE https://api.example.com/x", Destructive),
        ("journalctl --vacuum-t=1s", Destructive),
        ("journalctl --rot", Destructive),
        ("journalctl -u nginx --since today", Read),
        ("env --split='rm -rf /srv/app'", Destructive),
        ("rm --recur x", Destructive),
        ("sed --in-pl 's/a/b/' f", Mutating),
        ("sort --out=/etc/passwd x", Admin),
        ("date --se='2001-01-01'", Admin),
    ]);
}

#[test]
fn operations_and_cloud_clis() {
    check(&[
        (
            "aws kms schedule-key-deletion --key-id k --pending-window-in-days 7",
            Destructive,
        ),
        (
            "gcloud kms keys versions destroy 1 --key k --keyring r --location global",
            Destructive,
        ),
        (
            "aws rds modify-db-instance --db-instance-identifier db --backup-retention-period 0",
            Destructive,
        ),
        ("pm2 delete all", Destructive),
        ("pm2 list", Read),
        ("supervisorctl stop all", Destructive),
        ("supervisorctl status", Read),
        ("pg_ctl stop -D /var/lib/pg", Destructive),
        ("systemctl stop nginx", Destructive),
        ("systemctl mask nginx", Destructive),
        (
            "kubectl patch deploy api -p '{\"spec\":{\"replicas\":0}}'",
            Destructive,
        ),
        ("kubectl scale deploy api --replicas=0", Destructive),
        ("kubectl scale deploy api --replicas 0", Destructive),
        ("kubectl taint nodes n1 key=v:NoExecute", Destructive),
        ("kubectl drain n1", Destructive),
        ("kubectl cordon n1", Destructive),
        ("cdk destroy --force", Destructive),
        ("pulumi destroy --yes", Destructive),
        ("terraform destroy -auto-approve", Destructive),
        ("terraform apply -destroy", Destructive),
        ("terraform state rm aws_db.x", Destructive),
        ("podman system reset --force", Destructive),
        ("docker system prune -a -f", Destructive),
        (
            "kafka-topics --bootstrap-server b:9092 --delete --topic orders",
            Destructive,
        ),
        ("kafka-topics.sh --list --bootstrap-server b:9092", Read),
        ("gh api -X DELETE repos/o/r", Destructive),
        ("gh api --method=DELETE repos/o/r", Destructive),
        ("gh api repos/o/r", Read),
        ("gh repo delete o/r --yes", Destructive),
        ("gh pr list", Read),
        ("bq rm -r -f proj:dataset", Destructive),
        ("rclone sync empty/ remote:bucket", Destructive),
        ("rclone purge remote:bucket", Destructive),
        ("rclone lsd remote:", Read),
        ("ansible all -m shell -a 'rm -rf /srv/app'", Destructive),
        (
            "ansible web -m service -a 'name=nginx state=stopped'",
            Destructive,
        ),
        ("ansible all -m ping", Read),
        ("mongosh prod --eval 'db.dropDatabase()'", Destructive),
        ("mongosh admin --eval 'db.shutdownServer()'", Destructive),
        ("redis-cli FLUSHALL", Destructive),
        (
            "helm template x ./chart --post-renderer 'rm -rf /srv/app'",
            Destructive,
        ),
        (
            "mongosh prod --eval 'db.users.updateMany({}, {$set: {active: false}})'",
            Destructive,
        ),
    ]);
}

#[test]
fn windows() {
    check(&[
        ("powershell -c 'ri C:\\data -r -fo'", Destructive),
        (
            "pwsh -Command 'Remove-Item -Path C:\\data -Recurse -Force'",
            Destructive,
        ),
        ("powershell -c 'del C:\\x.txt'", Destructive),
        (
            "powershell -c 'Clear-Content C:\\app\\log.txt'",
            Destructive,
        ),
        ("powershell -c 'Stop-Computer -Force'", Destructive),
        ("powershell -c 'Format-Volume -DriveLetter D'", Destructive),
        (
            "powershell -c 'Clear-Disk -Number 1 -RemoveData'",
            Destructive,
        ),
        // Running PowerShell at all is code, so at least mutating, as for any interpreter.
        ("powershell -c 'Get-ChildItem C:\\ -Recurse'", Mutating),
        ("powershell -c 'gci -rec'", Mutating),
        ("powershell -c 'Get-ChildItem -Frobnicate'", Mutating),
        // "Remove-Item -Recurse -Force C:\data", base64 of UTF-16LE.
        (
            "powershell -EncodedCommand UgBlAG0AbwB2AGUALQBJAHQAZQBtACAALQBSAGUAYwB1AHIAcwBlACAALQBGAG8AcgBjAGUAIABDADoAXABkAGEAdABhAA==",
            Destructive,
        ),
        (
            "powershell -enc UgBlAG0AbwB2AGUALQBJAHQAZQBtACAALQBSAGUAYwB1AHIAcwBlACAALQBGAG8AcgBjAGUAIABDADoAXABkAGEAdABhAA==",
            Destructive,
        ),
        ("cmd /c rd /s /q C:\\data", Destructive),
        ("cmd /c del /f /s /q C:\\data\\*", Destructive),
        ("cmd /c dir /b", Read),
        ("cmd /c rd/s/q C:\\data", Destructive),
        ("reg delete HKLM\\Software\\App /f", Destructive),
        ("reg query HKLM\\Software\\App", Read),
        ("diskpart /s wipe.txt", Destructive),
        ("Start-Process cmd -Verb RunAs", Admin),
        ("cmd /c vssadmin delete shadows /all /quiet", Destructive),
        ("wmic shadowcopy delete", Destructive),
        ("net stop MSSQLSERVER", Destructive),
        ("net user backdoor P@ss /add", Admin),
        ("sc delete MyService", Destructive),
        ("schtasks /create /tn x /tr calc.exe /sc onlogon", Admin),
        ("taskkill /f /im sqlservr.exe", Destructive),
        ("bcdedit /set {default} recoveryenabled no", Admin),
        ("vssadmin list shadows", Read),
        // Free text that starts with a Windows tool's name is not its command.
        ("net income should end higher", Mutating),
        ("format the table as markdown", Mutating),
        ("cmd /c format D: /q /y", Destructive),
        (
            "powershell -nop -w hidden -c 'Remove-Item C:\\data -Recurse'",
            Destructive,
        ),
        ("powershell -ep bypass -c 'rd C:\\data -r'", Destructive),
    ]);
}

#[test]
fn false_alarms_and_their_twins() {
    check(&[
        ("rm --help", Read),
        ("rm --version", Read),
        ("rm --help; rm -rf /", Destructive),
        ("rm -- --help", Destructive),
        ("git push --dry-run", Read),
        ("git push -n origin main", Read),
        ("git push --dry-run; git push --force", Destructive),
        ("rsync -n -a --delete src/ dst/", Read),
        ("rsync --dry-run -a --delete src/ dst/", Read),
        ("rsync -a --delete src/ dst/", Destructive),
        ("kubectl delete ns prod --dry-run=client", Read),
        ("kubectl delete ns prod --dry-run=server", Read),
        ("kubectl delete ns prod --dry-run=none", Destructive),
        ("kubectl delete ns prod", Destructive),
        ("aws s3 rm s3://bucket --recursive --dryrun", Read),
        ("aws s3 rm s3://bucket --recursive", Destructive),
        ("ansible-playbook site.yml --check", Mutating),
        ("ansible-playbook site.yml", Mutating),
        ("terraform plan", Read),
        ("terraform plan -destroy", Read),
        ("fdisk -l", Read),
        ("fdisk /dev/sda", Destructive),
        ("dd if=/dev/sda bs=512 count=1 | xxd", Read),
        ("dd if=/dev/zero of=/dev/sda", Destructive),
        ("curl -G -d q=x https://api.example.com/search", Read),
        ("curl -d q=x https://api.example.com/search", Mutating),
        // A print-and-exit flag next to a flag that changes something proves nothing.
        ("sfdisk -l --delete /dev/sda 1", Destructive),
        ("wipefs /dev/sdb", Read),
        ("wipefs -a /dev/sdb", Destructive),
        ("wipefs -n -a /dev/sdb", Read),
        // Short flags that mean "dry run" in one program and something else in another.
        ("umount -n /data", Destructive),
        ("sgdisk -n 1:0:0 /dev/sda", Destructive),
        ("mkfs.vfat -n DATA /dev/sdb1", Destructive),
        ("cryptsetup -h sha256 luksFormat /dev/sdb", Destructive),
        ("Remove-Item C:\\x -Recurse -WhatIf", Read),
        ("Remove-Item C:\\x -Recurse -WhatIf:$false", Destructive),
    ]);
}
