//! Flags of the read-only subcommands of programs whose grammar a handler judges. A handler
//! that finds a read (`git log`, `kubectl get`, `curl URL`) is only believed when every flag
//! is listed here: `prog:` holds the global flags, `prog:sub` those of one subcommand. A
//! subcommand without a row proves no flag.

use super::Base::Read;
use super::Handler as H;
use super::Spec;

const GIT_LOG: &str = "--oneline --graph --decorate? --no-decorate --all --branches? --tags? \
    --remotes? -n|--max-count= --skip= --since|--after= --until|--before= --author= \
    --committer= --grep= --all-match --invert-grep -i|--regexp-ignore-case -E|--extended-regexp \
    -F|--fixed-strings -P|--perl-regexp --merges --no-merges --first-parent --reverse \
    --format= --pretty? --abbrev-commit --no-abbrev-commit --abbrev? --date= --relative-date \
    -p|-u|--patch -s|--no-patch --stat? --numstat --shortstat --name-only --name-status \
    --follow -L= -S= -G= --pickaxe-all --diff-filter= -M|--find-renames? -C|--find-copies? \
    --no-renames --cherry-pick --left-right --boundary --topo-order --date-order \
    --author-date-order --full-history --simplify-by-decoration --source --use-mailmap \
    --color? --no-color --word-diff? -w|--ignore-all-space -b|--ignore-space-change \
    --unified|-U= --summary --show-signature --show-notes? --no-notes --full-index \
    --minimal --patience --histogram --diff-algorithm= --relative? --no-ext-diff --cached \
    --staged --exit-code --quiet --check --dirstat? --raw -z -q --ignore-blank-lines -R \
    --submodule? --line-prefix= --src-prefix= --dst-prefix= --no-prefix -1 -2 -3 --ours \
    --theirs --base --merge-base --no-index --compact-summary --textconv \
    --no-textconv --ignore-cr-at-eol --function-context -W --walk-reflogs -g --mailmap \
    --encoding= --expand-tabs? --no-expand-tabs --show-linear-break? --count --parents \
    --children --stdin --no-walk? --do-walk --bisect --not --exclude= --glob= \
    --color-words? --color-moved? --no-color-moved --ignore-submodules? --diff-merges= -m -c \
    --cc --decorate-refs= --decorate-refs-exclude= --stat-width= --stat-count= \
    --patch-with-stat --max-parents= --min-parents= --no-min-parents --simplify-merges \
    --ancestry-path? --dense --sparse --in-commit-order --full --unreachable --root @num";

/// The flags `ansible` and `ansible-playbook` share.
macro_rules! ansible_flags {
    () => {
        "-i|--inventory|--inventory-file= -l|--limit= -u|--user= -k|--ask-pass \
         -K|--ask-become-pass -b|--become --become-method= --become-user= -c|--connection= \
         -f|--forks= -T|--timeout= -v|--verbose -vv -vvv -vvvv --private-key|--key-file= \
         -e|--extra-vars= --vault-id= --vault-password-file|--vault-pass-file= \
         -J|--ask-vault-password|--ask-vault-pass --list-hosts --playbook-dir= \
         --ssh-common-args= --ssh-extra-args= --scp-extra-args= --sftp-extra-args= \
         -C|--check -D|--diff --syntax-check --version. -h|--help."
    };
}

pub(super) const ROWS: &[Spec] = &[
    row!(
        "git:",
        Read,
        "global options",
        H::None,
        "-C= --no-pager -P --paginate -p --bare --no-replace-objects --literal-pathspecs \
         --glob-pathspecs --noglob-pathspecs --icase-pathspecs --no-optional-locks \
         --git-dir= --work-tree= --namespace= -c= --version. --help. -h."
    ),
    row!(
        "git:log git:show git:diff git:whatchanged git:shortlog git:reflog git:range-diff \
          git:cherry git:diff-tree git:diff-index git:diff-files git:rev-list",
        Read,
        "reads history",
        H::None,
        GIT_LOG
    ),
    row!(
        "git:status",
        Read,
        "reads the work tree",
        H::None,
        "-s|--short -b|--branch --show-stash --porcelain? --long -v|--verbose \
         -u|--untracked-files? --ignore-submodules? --ignored? -z --column? --no-column \
         --ahead-behind --no-ahead-behind --renames --no-renames --find-renames?"
    ),
    row!(
        "git:blame git:annotate",
        Read,
        "reads history",
        H::None,
        "-b --root --show-stats -L= -l -t -S= --reverse= --first-parent -p|--porcelain \
         --line-porcelain --incremental --encoding= --contents= --date= --progress \
         --no-progress -M? -C? --ignore-rev= --ignore-revs-file= --color-lines \
         --color-by-age -e|--show-email -w -s -n|--show-number -f|--show-name -c --abbrev="
    ),
    row!(
        "git:branch git:tag",
        Read,
        "lists branches or tags",
        H::None,
        "-a|--all -r|--remotes -l|--list -v -vv --verbose --merged? --no-merged? --contains? \
         --no-contains? --points-at= --sort= --format= --show-current --color? --no-color \
         --column? --no-column -q|--quiet -i|--ignore-case --abbrev= --no-abbrev -n="
    ),
    row!("git:remote", Read, "lists remotes", H::None, "-v|--verbose"),
    row!(
        "git:config",
        Read,
        "reads configuration",
        H::None,
        "--get --get-all --get-regexp --get-urlmatch -l|--list --show-origin --show-scope \
         --global --system --local --worktree -f|--file= --blob= --name-only -z|--null \
         --type= --bool --int --path --default= --includes --no-includes -e|--edit%"
    ),
    row!(
        "git:grep",
        Read,
        "searches tracked files",
        H::None,
        "-n|--line-number -i|--ignore-case -I -w|--word-regexp -v|--invert-match -l \
         --files-with-matches -L --files-without-match -c|--count -h -H --full-name \
         -E|--extended-regexp -G|--basic-regexp -F|--fixed-strings -P|--perl-regexp -e= -f= \
         --and --or --not --all-match -q|--quiet --cached --untracked --no-index \
         --recurse-submodules -A|--after-context= -B|--before-context= -C|--context= \
         -p|--show-function -W|--function-context --column -o|--only-matching --heading \
         --break --max-depth= --threads= --color? --no-color -a|--text -z|--null \
         -O|--open-files-in-pager$ @num"
    ),
    row!(
        "git:rev-parse git:describe git:ls-files git:ls-tree git:ls-remote git:cat-file \
          git:for-each-ref git:show-ref git:merge-base git:name-rev git:count-objects \
          git:check-ignore git:var git:verify-commit git:verify-tag git:show-branch \
          git:stash git:worktree git:submodule git:notes git:fsck git:help git:version",
        Read,
        "reads the repository",
        H::None,
        "--show-toplevel --abbrev-ref? --short? --verify -q|--quiet --git-dir --is-inside-work-tree \
         --show-prefix --show-cdup --symbolic-full-name --all --tags --always --long --dirty? \
         --abbrev= --match= --exclude= --contains -c|--cached -d|--deleted -m|--modified \
         -o|--others -i|--ignored -s|--stage -u|--unmerged -k|--killed -z -t --full-name \
         --exclude-standard --error-unmatch -r -l --name-only --name-status --heads \
         --refs --count= --sort= --format= -p -e -n|--dry-run -v|--verbose --stat \
         --patch --recursive --porcelain --no-index --batch? --batch-check? --points-at= \
         --merged= -a -x -X"
    ),
    row!(
        "git:clean",
        Read,
        "cleans the work tree (read only as a dry run)",
        H::None,
        "-n|--dry-run -f|--force -d -x -X -q|--quiet -e|--exclude= -i|--interactive%"
    ),
    row!(
        "git:push",
        Read,
        "pushes (read only as a dry run)",
        H::None,
        "-n|--dry-run --porcelain -v|--verbose -q|--quiet --all --branches --tags --follow-tags \
         -u|--set-upstream --no-verify --verify --atomic -o|--push-option= --repo= --signed? \
         --recurse-submodules= --thin --no-thin -4|--ipv4 -6|--ipv6 --progress --no-progress \
         -f|--force --force-with-lease? --force-if-includes -d|--delete --mirror --prune \
         --receive-pack$ --exec$"
    ),
    row!(
        "kubectl:delete kubectl:apply kubectl:create kubectl:patch kubectl:scale \
          kubectl:replace kubectl:set kubectl:label kubectl:annotate kubectl:run kubectl:expose \
          kubectl:drain kubectl:cordon kubectl:uncordon kubectl:taint kubectl:autoscale",
        Read,
        "changes resources (read only as a dry run)",
        H::None,
        "--dry-run? -f|--filename= -k|--kustomize= -R|--recursive -o|--output= -l|--selector= \
         --all --force --grace-period= --now --wait? --cascade? --timeout= --ignore-not-found \
         -p|--patch= --type= --replicas= --current-replicas= --resource-version= --overwrite \
         --image= --port= --restart= --env= --labels= --ignore-daemonsets \
         --delete-emptydir-data --delete-local-data --disable-eviction --pod-selector= \
         --server-side --field-manager= --validate? --save-config --record \
         --show-managed-fields --template= --min= --max= --cpu-percent= --name= \
         --target-port= --protocol= --containers= --local --field-selector= -A|--all-namespaces \
         --force-conflicts --prune --prune-allowlist= -i|--stdin -t|--tty --rm \
         --command --attach? --annotations= --override-type= --overrides="
    ),
    row!(
        "kubectl:",
        Read,
        "global options",
        H::None,
        "-n|--namespace= --context= --kubeconfig= --cluster= --user= -s|--server= \
         --request-timeout= --insecure-skip-tls-verify --tls-server-name= --token= \
         --certificate-authority= --client-certificate= --client-key= -v= --v= \
         --as^= --as-group^= --as-uid^= --cache-dir= --match-server-version \
         --profile= --profile-output> --warnings-as-errors --disable-compression --help. -h."
    ),
    row!(
        "kubectl:get kubectl:describe kubectl:top kubectl:explain kubectl:api-resources \
          kubectl:api-versions kubectl:version kubectl:cluster-info kubectl:events \
          kubectl:wait kubectl:diff kubectl:auth kubectl:config kubectl:rollout",
        Read,
        "reads cluster state",
        H::None,
        "-o|--output= -l|--selector= -A|--all-namespaces -w|--watch --watch-only \
         --field-selector= --show-labels --sort-by= --no-headers -L|--label-columns= \
         --chunk-size= --ignore-not-found --raw= --show-kind --template= -f|--filename= \
         -k|--kustomize= -R|--recursive --output-watch-events --subresource= \
         --show-events? --containers --use-protocol-buffers --sum --api-group= \
         --namespaced? --verbs= --cached --client --short --for= --timeout= --all \
         --types= --minify --flatten --revision= --list -q|--quiet \
         --server-side --field-manager= --force-conflicts --prune"
    ),
    // The command after `--` is judged on its own (`devops.rs`).
    row!(
        "kubectl:exec",
        Read,
        "runs the command shown in a pod",
        H::None,
        "-c|--container= -i|--stdin -t|--tty -q|--quiet --pod-running-timeout= -f|--filename="
    ),
    row!(
        "kubectl:logs",
        Read,
        "reads logs",
        H::None,
        "-f|--follow --tail= --since= --since-time= -c|--container= --all-containers? \
         -p|--previous --timestamps? -l|--selector= --prefix? --max-log-requests= \
         --limit-bytes= --ignore-errors --pod-running-timeout= --all-pods? \
         --insecure-skip-tls-verify-backend"
    ),
    row!(
        "docker:",
        Read,
        "global options",
        H::None,
        "-H|--host= --context= --config= -D|--debug -l|--log-level= --tls --tlsverify \
         --tlscacert= --tlscert= --tlskey= -v|--version. --help. -h."
    ),
    row!(
        "docker:ps docker:images docker:logs docker:inspect docker:version docker:info \
          docker:stats docker:top docker:history docker:search docker:port docker:diff \
          docker:events docker:ls docker:container docker:image docker:volume \
          docker:network docker:system docker:context docker:buildx docker:builder docker:plugin \
          docker:node docker:service docker:stack docker:secret docker:config docker:manifest \
          docker:pod docker:machine",
        Read,
        "reads containers",
        H::None,
        "-a|--all -q|--quiet -s|--size -n|--last= -l|--latest --no-trunc -f|--filter= \
         --format= --digests --tree -t|--timestamps --tail= --since= --until= --details \
         --follow --type= --no-stream --limit= --human"
    ),
    row!(
        "docker:compose",
        Read,
        "reads compose services",
        H::None,
        "-f|--file= -p|--project-name= --profile= --env-file= --project-directory= --ansi= \
         --progress= --parallel= -a|--all -q|--quiet --services --format= --filter= --status= \
         --no-trunc --since= --until= -n|--tail= -t|--timestamps --follow --no-color \
         --no-log-prefix --index= --resolve-image-digests --no-interpolate --images --volumes \
         --hash= --dry-run --short --json"
    ),
    row!(
        "helm:",
        Read,
        "global options",
        H::None,
        "-n|--namespace= --kube-context= --kubeconfig= --debug --kube-apiserver= \
         --kube-token= --kube-as-user^= --kube-as-group^= --registry-config= \
         --repository-config= --repository-cache= --burst-limit= --qps= --help. -h."
    ),
    row!(
        "helm:list helm:ls helm:status helm:get helm:history helm:show helm:search \
          helm:lint helm:version helm:env helm:template",
        Read,
        "reads releases",
        H::None,
        "-A|--all-namespaces -a|--all -o|--output= -q|--short --filter= -d|--date \
         -r|--reverse --deployed --failed --pending --superseded --uninstalled \
         --uninstalling -m|--max= --offset= -l|--selector= --time-format= --no-headers \
         --revision= --show-desc --show-resources --version= --devel --regexp --versions \
         --template= --strict --values= -f= --set= --set-string= --output-dir> \
         --include-crds --skip-tests --validate --api-versions= --kube-version= \
         --is-upgrade --name-template= --release-name --show-only= -s= --quiet"
    ),
    row!(
        "helm:uninstall helm:delete helm:del helm:un",
        Read,
        "flags of uninstall (the handler judges the verb)",
        H::None,
        "--dry-run~ --keep-history --wait --timeout= --cascade= --no-hooks --description= \
         --ignore-not-found"
    ),
    row!(
        "terraform:",
        Read,
        "global options",
        H::None,
        "-chdir= -help. -version. --help. --version."
    ),
    row!(
        "terraform:plan terraform:show terraform:validate terraform:output terraform:state \
          terraform:graph terraform:providers terraform:version terraform:workspace \
          terraform:console",
        Read,
        "reads or plans",
        H::None,
        "-out> -destroy -refresh-only -refresh= -replace= -target= -var= -var-file= \
         -input= -lock= -lock-timeout= -no-color -parallelism= -detailed-exitcode \
         -compact-warnings -json -state= -generate-config-out> -raw -id= -type= -plan= \
         -draw-cycles -module-depth="
    ),
    row!(
        "terraform:fmt",
        Read,
        "checks formatting",
        H::None,
        "-check -diff -list= -recursive -no-color -write="
    ),
    row!(
        "curl:",
        Read,
        "sends an HTTP request",
        H::None,
        "-s|--silent -S|--show-error -f|--fail --fail-with-body -L|--location -i|--include \
         -I|--head -v|--verbose -k|--insecure -H|--header= -A|--user-agent= -e|--referer= \
         -u|--user= -b|--cookie= -c|--cookie-jar> -o|--output> -O|--remote-name \
         --output-dir> -D|--dump-header> -w|--write-out= -m|--max-time= \
         --connect-timeout= --retry= --retry-delay= --retry-max-time= --retry-all-errors \
         --compressed -x|--proxy= --noproxy= -4|--ipv4 -6|--ipv6 --http1.1 --http2 --http3 \
         -G|--get -d|--data= --data-urlencode= --data-raw= --data-binary= -F|--form= \
         --json= -X|--request= --url= -r|--range= -C|--continue-at= -#|--progress-bar \
         --no-progress-meter -N|--no-buffer --cacert= --capath= --cert= --key= --pass= \
         --resolve= --connect-to= --interface= --limit-rate= --max-filesize= \
         --max-redirs= -z|--time-cond= --trace> --trace-ascii> --stderr> --etag-save> \
         --etag-compare= -Z|--parallel --create-dirs -R|--remote-time -j|--junk-session-cookies \
         --oauth2-bearer= --aws-sigv4= --digest --basic --ntlm --negotiate --anyauth \
         --tlsv1.2 --tlsv1.3 --ssl-reqd --path-as-is --globoff|-g -n|--netrc \
         --netrc-file= -K|--config@ --libcurl> -T|--upload-file= --unix-socket= \
         -q|--disable --raw --tr-encoding --ignore-content-length --variable= --expand-url= \
         -V|--version. -h|--help."
    ),
    // ansible (no subcommand; `ops.rs` judges the module and what runs locally): a read is
    // believed only with these flags. `--module-path` is not listed (modules from a folder not
    // seen), nor `-t`/`--tree` of `ansible` (writes a file a host).
    row!(
        "ansible:",
        Read,
        "runs a read-only module",
        H::None,
        concat!(
            "-m|--module-name= -a|--args= -o|--one-line -P|--poll= -B|--background= ",
            ansible_flags!()
        )
    ),
    row!(
        "ansible-playbook:",
        Read,
        "runs a playbook in check mode",
        H::None,
        concat!(
            "-t|--tags= --skip-tags= --start-at-task= --list-tasks --list-tags --flush-cache \
             --force-handlers --step ",
            ansible_flags!()
        )
    ),
    // rclone: a read subcommand (or a dry run, `ops.rs`) is believed only with these flags.
    // `--password-command` and `--sftp-ssh` run commands; `--log-file` and the report files
    // of `check`, `hashsum` and `tree` are written; the remote-control flags (`--rc…`) are
    // not listed (a server, or an API open to the network).
    row!(
        "rclone:",
        Read,
        "global options",
        H::None,
        "-v|--verbose -vv -q|--quiet --config= --log-level= --stats= --stats-one-line \
         --stats-log-level= --stats-unit= -P|--progress --use-json-log --checkers= \
         --transfers= --retries= --retries-sleep= --low-level-retries= --timeout= \
         --contimeout= --tpslimit= --tpslimit-burst= --bwlimit= --fast-list \
         --no-check-certificate --user-agent= --ask-password? --include= --exclude= \
         --filter= --include-from= --exclude-from= --filter-from= --files-from= \
         --files-from-raw= --min-size= --max-size= --min-age= --max-age= --max-depth= \
         --ignore-case --exclude-if-present= --human-readable -n|--dry-run -c|--checksum \
         --size-only -u|--update --ignore-existing -I|--ignore-times --immutable \
         --track-renames --max-delete= --max-transfer= --create-empty-src-dirs \
         --no-update-modtime --inplace -L|--copy-links -l|--links --delete-before \
         --delete-during --delete-after --delete-excluded --backup-dir= --suffix= \
         -M|--metadata --order-by= --multi-thread-streams= --buffer-size= --use-mmap \
         --cache-dir= --ca-cert= --header= --no-traverse --check-first --use-server-modtime \
         --ignore-checksum --no-check-dest -i|--interactive --bind= --auto-confirm \
         --client-cert= --client-key= --drive-shared-with-me --drive-root-folder-id= \
         --drive-scope= --drive-team-drive= --s3-region= --s3-endpoint= --s3-provider= \
         --s3-profile= --s3-no-check-bucket --sftp-key-file= --sftp-user= --sftp-port= \
         --password-command$ --sftp-ssh$ --log-file> -V|--version. -h|--help."
    ),
    row!(
        "rclone:ls rclone:lsl rclone:lsd rclone:lsf rclone:lsjson rclone:size rclone:about \
          rclone:cat rclone:listremotes rclone:version rclone:config rclone:help rclone:ncdu",
        Read,
        "reads remote storage",
        H::None,
        "-F|--format= -s|--separator= -d|--dir-slash -R|--recursive --absolute --csv \
         --files-only --dirs-only --hash= --hash-type= --time-format= --original --encrypted \
         --no-modtime --no-mimetype --stat --json --full --count= --head= --tail= --offset= \
         --discard --long --check"
    ),
    row!(
        "rclone:check rclone:cryptcheck rclone:md5sum rclone:sha1sum rclone:hashsum",
        Read,
        "compares or hashes remote files",
        H::None,
        "--download --one-way -C|--checkfile= --base64 --combined> --missing-on-src> \
         --missing-on-dst> --match> --differ> --error> --output-file>"
    ),
    row!(
        "rclone:tree",
        Read,
        "lists remote storage as a tree",
        H::None,
        "-a|--all -C|--color -d|--dirs-only --dirs-first --full-path --level= -D|--date \
         -o|--output> -p|--protection -Q|--quote -r|--sort-reverse -s|--size \
         -t|--sort-modtime -U|--unsorted --noindent --noreport --sort= --sort-ctime \
         --modtime"
    ),
    // Transfers and deletions, read only as dry runs (`ops.rs`): the global options suffice.
    row!(
        "rclone:sync rclone:copy rclone:move rclone:copyto rclone:moveto rclone:bisync \
          rclone:delete rclone:purge rclone:deletefile rclone:rmdir rclone:rmdirs \
          rclone:dedupe rclone:cleanup",
        Read,
        "transfers or deletes, as a dry run",
        H::None,
        "--rmdirs --resync --dedupe-mode="
    ),
    // mysqldump (no subcommand): `-r`/`--result-file`, `--tab` and `--log-error` write files,
    // `--delete-source-logs` purges the binary logs; an option file (`--defaults-file`) or a
    // client plugin (`--plugin-dir`, `--default-auth`) is not seen, so it is not listed.
    // MySQL takes a unique prefix of a long option (`@gnu`).
    row!(
        "mysqldump:",
        Read,
        "dumps a database",
        H::None,
        "@gnu -h|--host= -P|--port= -u|--user= -p|--password? --protocol= -S|--socket= \
         --ssl-mode= --ssl-ca= --ssl-capath= --ssl-cert= --ssl-key= --ssl-cipher= \
         --tls-version= --tls-ciphersuites= --ssl --skip-ssl --get-server-public-key \
         --server-public-key-path= -C|--compress --compression-algorithms= \
         --zstd-compression-level= --login-path= --no-defaults --bind-address= \
         --default-character-set= -A|--all-databases -B|--databases --tables -w|--where= \
         --ignore-table= --ignore-error= -d|--no-data -t|--no-create-info -n|--no-create-db \
         -R|--routines --skip-routines --triggers --skip-triggers -E|--events --skip-events \
         --single-transaction -l|--lock-tables -x|--lock-all-tables --skip-lock-tables \
         -q|--quick --skip-quick --opt --skip-opt -e|--extended-insert --skip-extended-insert \
         -c|--complete-insert --add-drop-database --add-drop-table --skip-add-drop-table \
         --add-drop-trigger --add-locks --skip-add-locks --create-options \
         --skip-create-options -K|--disable-keys --hex-blob --insert-ignore --replace \
         --set-gtid-purged= --column-statistics? --skip-column-statistics --compact \
         -i|--comments --skip-comments --dump-date --skip-dump-date --tz-utc --skip-tz-utc \
         --order-by-primary --max-allowed-packet= --net-buffer-length= --no-autocommit \
         -y|--no-tablespaces --set-charset --skip-set-charset -N|--no-set-names \
         -Q|--quote-names --skip-quote-names --allow-keywords -X|--xml -f|--force \
         --source-data? --master-data? --dump-replica? --dump-slave? \
         --apply-replica-statements --apply-slave-statements --include-source-host-port \
         --include-master-host-port --skip-generated-invisible-primary-key \
         --fields-terminated-by= --fields-enclosed-by= --fields-optionally-enclosed-by= \
         --fields-escaped-by= --lines-terminated-by= -v|--verbose -r|--result-file> \
         --ssl-verify-server-cert --gtid --system= --skip-disable-keys -Y|--all-tablespaces \
         --network-timeout --print-defaults. \
         -T|--tab> --log-error> -F|--flush-logs% --flush-privileges% \
         --delete-master-logs! --delete-source-logs! -V|--version. -?|--help."
    ),
    row!(
        "wget:",
        Read,
        "downloads",
        H::None,
        "@gnu -q|--quiet -v|--verbose -nv|--no-verbose -O|--output-document> -o|--output-file> \
         -a|--append-output> -P|--directory-prefix> -c|--continue -N|--timestamping \
         -S|--server-response --spider -T|--timeout= -t|--tries= -w|--wait= -U|--user-agent= \
         --header= --no-check-certificate --user= --password= -r|--recursive -l|--level= \
         -np|--no-parent -nd|--no-directories -nH|--no-host-directories -x|--force-directories \
         -k|--convert-links -p|--page-requisites -m|--mirror -A|--accept= -R|--reject= \
         --limit-rate= --max-redirect= --method= --body-data= --post-data= --post-file= \
         -i|--input-file= -e|--execute% --show-progress --progress= -nc|--no-clobber \
         -4|--inet4-only -6|--inet6-only --https-only --content-disposition \
         --save-headers -V|--version. -h|--help."
    ),
    // The read commands of CLIs judged by their command word (`catalogue/ops.rs`
    // `command_word`): HDFS's shell, Mercurial, ZooKeeper, Samba, Keycloak and OpenStack.
    row!(
        "hdfs: hadoop:",
        Read,
        "global options",
        H::None,
        "--config= --loglevel="
    ),
    row!(
        "hdfs:dfs hadoop:fs hadoop:dfs",
        Read,
        "reads HDFS",
        H::None,
        "-D= -fs= -conf= -ls -lsr -cat -du -dus -stat -count -df -text -tail -head -test \
         -checksum -getfacl -getfattr -find -help -usage -d -h -R -t -S -r -u -C -e -q -s -v \
         -x -f -z -ignoreCrc -name= -iname= -print -print0"
    ),
    row!(
        "hg:",
        Read,
        "global options",
        H::None,
        "-R|--repository|--repo= --cwd= -y|--noninteractive -q|--quiet -v|--verbose --debug \
         --traceback --time --profile --hidden --color= --pager= --encoding= -h|--help. \
         --version."
    ),
    row!(
        "hg:log hg:history",
        Read,
        "reads history",
        H::None,
        "-r|--rev= -l|--limit= -p|--patch -G|--graph -T|--template= -k|--keyword= -u|--user= \
         -b|--branch= -d|--date= -M|--no-merges -m|--only-merges -f|--follow --stat -g|--git \
         -C|--copies --removed -P|--prune= -I|--include= -X|--exclude= --style= \
         -L|--line-range= --follow-first -w -B"
    ),
    row!(
        "hg:status hg:st",
        Read,
        "reads the work tree",
        H::None,
        "-A|--all -m|--modified -a|--added -r|--removed -d|--deleted -c|--clean -u|--unknown \
         -i|--ignored -n|--no-status -C|--copies -0|--print0 --rev= --change= -I|--include= \
         -X|--exclude= -S|--subrepos -T|--template= --terse="
    ),
    row!(
        "hg:diff",
        Read,
        "reads changes",
        H::None,
        "-r|--rev= -c|--change= --from= --to= -a|--text -g|--git --binary --nodates \
         --noprefix -p|--show-function --reverse -w|--ignore-all-space \
         -b|--ignore-space-change -B|--ignore-blank-lines -Z|--ignore-space-at-eol \
         -U|--unified= --stat --root= -I|--include= -X|--exclude= -S|--subrepos"
    ),
    row!(
        "zkCli.sh: zkCli: zookeeper-shell: zookeeper-shell.sh:",
        Read,
        "global options",
        H::None,
        "-server= -timeout= -r -waitforconnection -client-configuration="
    ),
    row!(
        "zkCli.sh:ls zkCli.sh:get zkCli.sh:stat zkCli.sh:getAcl zkCli:ls zkCli:get zkCli:stat \
          zkCli:getAcl",
        Read,
        "reads ZooKeeper nodes",
        H::None,
        "-s -R -w"
    ),
    row!(
        "samba-tool:",
        Read,
        "global options",
        H::None,
        "-H|--URL= -U|--username= --password= -s|--configfile= -d|--debuglevel= --realm= \
         -W|--workgroup= -k|--use-kerberos= -h|--help. -V|--version."
    ),
    row!(
        "samba-tool:user samba-tool:group samba-tool:computer samba-tool:ou samba-tool:contact",
        Read,
        "lists accounts and groups",
        H::None,
        "--full-dn -b|--base-dn= --hide-expired --hide-disabled -v|--verbose --attributes= \
         --json --filter="
    ),
    row!(
        "kcadm.sh: kcadm:",
        Read,
        "global options",
        H::None,
        "--config= --no-config --server= --realm= --user= --password= --client= --secret= \
         --truststore= --trustpass= -x -h|--help."
    ),
    row!(
        "kcadm.sh:get kcadm.sh:get-roles kcadm:get kcadm:get-roles",
        Read,
        "reads Keycloak resources",
        H::None,
        "-r|--target-realm= -q|--query= --fields= -F|--format= --noquotes -o|--offset= \
         -l|--limit= -c|--compressed --uusername= --uid= --rolename= --roleid= --cclientid= \
         --cid= --gname= --gpath= --gid= --rname= --effective --available --all"
    ),
    row!(
        "openstack:",
        Read,
        "global options",
        H::None,
        "--os-cloud= --os-auth-url= --os-project-name= --os-project-id= --os-username= \
         --os-user-id= --os-password= --os-user-domain-name= --os-user-domain-id= \
         --os-project-domain-name= --os-project-domain-id= --os-domain-name= --os-domain-id= \
         --os-region-name= --os-interface= --os-identity-api-version= --os-auth-type= \
         --os-token= --os-cacert= --os-cert= --os-key= --insecure --debug -v|--verbose \
         -q|--quiet -h|--help. --version."
    ),
    row!(
        "openstack:server openstack:user openstack:project openstack:role openstack:network \
          openstack:subnet openstack:port openstack:router openstack:volume openstack:image \
          openstack:flavor openstack:keypair openstack:stack openstack:domain openstack:group \
          openstack:endpoint openstack:service openstack:hypervisor openstack:quota \
          openstack:catalog",
        Read,
        "lists or shows resources",
        H::None,
        "-f|--format= -c|--column= --long --all-projects --limit= --marker= --sort-column= \
         --sort-ascending --sort-descending --noindent --max-width= --fit-width --print-empty \
         --quote= --name= --status= --project= --domain= --user= --group= --host= --flavor= \
         --image= --network= --names --effective --inherited --role= --fields="
    ),
    // Long options of GNU programs whose handler reads exact names: abbreviations are expanded
    // before the handler sees them (`tar --remove-f` is `--remove-files`).
    row!(
        "tar:",
        Read,
        "long options",
        H::None,
        "@gnu --remove-files --to-command= --use-compress-program= --rsh-command= \
         --info-script= --new-volume-script= --checkpoint-action= --checkpoint? --delete \
         --recursive-unlink --unlink-first --overwrite --overwrite-dir --list --extract --get \
         --create --append --update --catenate --concatenate --directory= --file= --gzip \
         --bzip2 --xz --zstd --verbose --to-stdout --keep-old-files --skip-old-files \
         --exclude= --strip-components= --no-same-owner --same-owner --preserve-permissions \
         --numeric-owner --absolute-names --dereference --transform= --wildcards --totals? \
         --one-file-system --atime-preserve? --force-local --ignore-failed-read --warning= \
         --show-transformed-names --blocking-factor= --format= --label= --owner= --group= \
         --mode= --mtime= --sort= --null --files-from= --exclude-from= --exclude-vcs \
         --help --version --usage"
    ),
    row!(
        "journalctl:",
        Read,
        "long options",
        H::None,
        "@gnu -u|--unit= -f|--follow -n|--lines= -b|--boot? -k|--dmesg -p|--priority= \
         -g|--grep= -o|--output= -r|--reverse -e|--pager-end -x|--catalog -a|--all -q|--quiet \
         -S|--since= -U|--until= -t|--identifier= -D|--directory= -M|--machine= -m|--merge \
         -l|--full -h|--help. -N|--fields -F|--field= -i|--file= -I|--interval= \
         --vacuum-size! --vacuum-time! --vacuum-files! --rotate! --flush% --sync% \
         --relinquish-var% --smart-relinquish-var% --setup-keys^ --update-catalog% --verify \
         --user-unit= --list-boots --case-sensitive? --output-fields= --no-pager --system \
         --user --utc --disk-usage --header --namespace= --version. --no-full --no-hostname \
         --show-cursor --cursor= --after-cursor= --cursor-file= --facility= --root= \
         --image= --list-catalog --dump-catalog --force --new-id128 --no-tail"
    ),
];
