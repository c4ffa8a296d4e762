//! Files and text: coreutils, search, archives, editors. Flags are GNU's unless noted.

use super::Base::{Destructive, Mutating, Read};
use super::Handler as H;
use super::Spec;

/// Flags of a GNU program: abbreviations allowed, `--help` and `--version` only print.
macro_rules! gnu {
    ($flags:expr) => {
        concat!("@gnu --help. --version. ", $flags)
    };
}

pub(super) const ROWS: &[Spec] = &[
    row!(
        "ls ll la dir vdir",
        Read,
        "lists files",
        H::None,
        gnu!(
            "-a|--all -A|--almost-all -b|--escape -B|--ignore-backups -c -C -d|--directory -D|--dired \
         -f -F|--classify? -g -G|--no-group -h|--human-readable -H|--dereference-command-line \
         -i|--inode -I|--ignore= -k|--kibibytes -l -L|--dereference -m -n|--numeric-uid-gid -N|--literal \
         -o -p -q|--hide-control-chars -Q|--quote-name -r|--reverse -R|--recursive -s|--size \
         -S -t -T|--tabsize= -u -U -v -w|--width= -x -X -Z|--context -1 --author --block-size= \
         --color? --colour? --file-type --format= --full-time --group-directories-first --hide= \
         --hyperlink? --indicator-style= --quoting-style= --show-control-chars --si --sort= \
         --time= --time-style= -@ -e -O -P -W -%"
        )
    ),
    row!(
        "cat tac",
        Read,
        "reads files",
        H::Cat,
        gnu!(
            "-A|--show-all -b|--number-nonblank -e -E|--show-ends -n|--number -s|--squeeze-blank -t \
         -T|--show-tabs -u -v|--show-nonprinting -r|--regex -B|--before? --separator="
        )
    ),
    row!(
        "head tail",
        Read,
        "reads part of files",
        H::None,
        gnu!(
            "@num -c|--bytes= -n|--lines= -q|--quiet|--silent -v|--verbose -z|--zero-terminated \
         -f|--follow? -F --retry --pid= -s|--sleep-interval= --max-unchanged-stats="
        )
    ),
    row!(
        "less more most",
        Read,
        "pages through files",
        H::Less,
        gnu!(
            "@num -N|--LINE-NUMBERS -n|--line-numbers -S|--chop-long-lines -R|--RAW-CONTROL-CHARS -r \
         -X|--no-init -F|--quit-if-one-screen -i|--ignore-case -I|--IGNORE-CASE -M|--LONG-PROMPT \
         -m -e -E -f -g -G -J -K -q -Q -s -w -W -p|--pattern= -j= -x= -+ +F +G \
         -o|--log-file> -O|--LOG-FILE> -k|--lesskey-file= -t|--tag= -T|--tag-file= -y= -z= \
         -#|--shift= -a -c -d -h= -u -U -V --mouse --incsearch --use-color"
        )
    ),
    row!(
        "grep egrep fgrep zgrep",
        Read,
        "searches text",
        H::None,
        gnu!(
            "-E|--extended-regexp -F|--fixed-strings -G|--basic-regexp -P|--perl-regexp \
         -e|--regexp= -f|--file= -i|--ignore-case --no-ignore-case -v|--invert-match \
         -w|--word-regexp -x|--line-regexp -y -c|--count --color? --colour? \
         -L|--files-without-match -l|--files-with-matches -m|--max-count= -o|--only-matching \
         -q|--quiet|--silent -s|--no-messages -b|--byte-offset -H|--with-filename \
         -h|--no-filename --label= -n|--line-number -T|--initial-tab -Z|--null \
         -A|--after-context= -B|--before-context= -C|--context= -a|--text --binary-files= \
         -D|--devices= -d|--directories= --exclude= --exclude-from= --exclude-dir= -I \
         --include= -r|--recursive -R|--dereference-recursive --line-buffered -U|--binary \
         -z|--null-data --no-group-separator --group-separator= -V @num"
        )
    ),
    row!(
        "rg",
        Read,
        "searches text",
        H::None,
        "--help. -h. -V|--version. -e|--regexp= -f|--file= -i|--ignore-case -s|--case-sensitive \
         -S|--smart-case -F|--fixed-strings -w|--word-regexp -x|--line-regexp -v|--invert-match \
         -c|--count --count-matches -l|--files-with-matches --files-without-match --files \
         -n|--line-number -N|--no-line-number -H|--with-filename -I|--no-filename -o|--only-matching \
         -A|--after-context= -B|--before-context= -C|--context= -g|--glob= --iglob= -t|--type= \
         -T|--type-not= --type-list -u|--unrestricted --hidden --no-ignore --no-ignore-vcs \
         -L|--follow -m|--max-count= --max-depth= -d= --max-filesize= -M|--max-columns= \
         --max-columns-preview --pre$ --pre-glob= -U|--multiline --multiline-dotall -P|--pcre2 --json --vimgrep \
         --color= --colors= -p|--pretty --heading --no-heading -r|--replace= -0|--null -q|--quiet \
         --sort= --sortr= --stats --trim -z|--search-zip -a|--text --column -b|--byte-offset \
         --no-messages -j|--threads= --debug --encoding= -E= --passthru --no-config"
    ),
    row!(
        "ag ack",
        Read,
        "searches text",
        H::None,
        "--help. --version. -i -s -S -w -v -c -l -L -o -A= -B= -C= -G= --ignore= --ignore-dir= \
         --hidden -u -t -Q --literal --nocolor --color -f --depth= -m= --count --nogroup \
         --column --vimgrep -h -H --noheading -1 -n"
    ),
    row!(
        "wc",
        Read,
        "counts",
        H::None,
        gnu!(
            "-c|--bytes -m|--chars -l|--lines -L|--max-line-length -w|--words --files0-from= --total="
        )
    ),
    row!(
        "sort",
        Read,
        "sorts text",
        H::None,
        gnu!(
            "-b|--ignore-leading-blanks -d|--dictionary-order -f|--ignore-case -g|--general-numeric-sort \
         -i|--ignore-nonprinting -M|--month-sort -h|--human-numeric-sort -n|--numeric-sort \
         -R|--random-sort --random-source= -r|--reverse -V|--version-sort --sort= -c|--check? -C \
         --compress-program$ --debug --files0-from= -k|--key= -m|--merge -o|--output> -s|--stable \
         -S|--buffer-size= -t|--field-separator= -T|--temporary-directory= --parallel= \
         -u|--unique -z|--zero-terminated"
        )
    ),
    row!(
        "uniq",
        Read,
        "filters repeated lines",
        H::Uniq,
        gnu!(
            "-c|--count -d|--repeated -D --all-repeated? -f|--skip-fields= --group? -i|--ignore-case \
         -s|--skip-chars= -u|--unique -z|--zero-terminated -w|--check-chars="
        )
    ),
    row!(
        "cut",
        Read,
        "cuts fields",
        H::None,
        gnu!(
            "-b|--bytes= -c|--characters= -d|--delimiter= -f|--fields= -n --complement -s|--only-delimited --output-delimiter= -z|--zero-terminated"
        )
    ),
    row!(
        "tr",
        Read,
        "translates characters",
        H::None,
        gnu!("-c|-C|--complement -d|--delete -s|--squeeze-repeats -t|--truncate-set1")
    ),
    row!(
        "diff",
        Read,
        "compares files",
        H::None,
        gnu!(
            "-q|--brief -s|--report-identical-files -c -C|--context? -u -U|--unified? -e|--ed -n|--rcs \
         -y|--side-by-side -W|--width= --left-column --suppress-common-lines -p|--show-c-function \
         -F|--show-function-line= --label= -t|--expand-tabs -T|--initial-tab --tabsize= \
         --suppress-blank-empty -l|--paginate -r|--recursive --no-dereference -N|--new-file \
         --unidirectional-new-file --ignore-file-name-case --no-ignore-file-name-case \
         -x|--exclude= -X|--exclude-from= -S|--starting-file= --from-file= --to-file= \
         -i|--ignore-case -E|--ignore-tab-expansion -Z|--ignore-trailing-space \
         -b|--ignore-space-change -w|--ignore-all-space -B|--ignore-blank-lines \
         -I|--ignore-matching-lines= -a|--text --strip-trailing-cr -D|--ifdef= \
         --GTYPE-group-format= --line-format= --LTYPE-line-format= -d|--minimal --horizon-lines= \
         --speed-large-files --color? --palette= @num"
        )
    ),
    row!(
        "cmp comm join paste",
        Read,
        "compares or joins text",
        H::None,
        gnu!(
            "-b|--print-bytes -i|--ignore-initial= -l|--verbose -n|--bytes= -s|--quiet|--silent \
         -1 -2 -3 --check-order --nocheck-order --output-delimiter= --total -z|--zero-terminated \
         -a= -e= -j= -o= -t= -v= --header -d|--delimiters= --serial"
        )
    ),
    row!(
        "md5sum sha1sum sha224sum sha256sum sha384sum sha512sum b2sum cksum sum shasum",
        Read,
        "computes checksums",
        H::None,
        gnu!(
            "-b|--binary -c|--check -t|--text --tag -z|--zero --ignore-missing --quiet --status \
         --strict -w|--warn -a|--algorithm= -l|--length= -r -s --untagged --base64 --raw"
        )
    ),
    row!(
        "base64 base32 basenc",
        Read,
        "encodes or decodes",
        H::Decode,
        gnu!(
            "-d|--decode -D -i|--ignore-garbage -w|--wrap= --base64 --base64url --base32 --base32hex --base16 --z85"
        )
    ),
    row!(
        "xxd",
        Read,
        "dumps bytes",
        H::Decode,
        "--help. -h. -v. --version. -a -b -C -e -E -i -l= -o= -p -ps -plain -postscript -r -revert -R= -s= -u -c= -g= -n= -d"
    ),
    row!(
        "od hexdump",
        Read,
        "dumps bytes",
        H::None,
        gnu!(
            "-A|--address-radix= -j|--skip-bytes= -N|--read-bytes= -S|--strings? -t|--format= -v|--output-duplicates -w|--width? -a -b -c -d -f -i -l -o -s -x -C -e= -n= -X"
        ),
    ),
    row!(
        "strings",
        Read,
        "prints strings",
        H::None,
        gnu!(
            "-a|--all -d|--data -f|--print-file-name -n|--bytes= -t|--radix= -e|--encoding= -w|--include-all-whitespace @num"
        )
    ),
    row!("rev", Read, "reverses lines", H::Rev, gnu!("")),
    row!("echo", Read, "prints text", H::Echo, "@any"),
    row!("printf", Read, "prints text", H::Echo, "@any"),
    row!(
        "basename dirname realpath readlink",
        Read,
        "prints a path",
        H::None,
        gnu!(
            "-a|--multiple -s|--suffix= -z|--zero -e|--canonicalize-existing -m|--canonicalize-missing \
         -L|--logical -P|--physical -q|--quiet --strip|--no-symlinks --relative-to= \
         --relative-base= -f|--canonicalize -n|--no-newline -v|--verbose"
        )
    ),
    row!(
        "seq column nl fold fmt expand unexpand pr tsort factor numfmt \
          look",
        Read,
        "prints or computes text",
        H::None,
        gnu!(
            "-f|--format= -s|--separator= -w|--equal-width -t|--table -c= -x -n -N= -o= -e -l -R -J \
         -b|--body-numbering= -h|--header-numbering= -i|--line-increment= -v|--starting-line-number= \
         -bytes --spaces -u -d= --width= --tabs= --initial -a|--all --first-only \
         --from= --to= --field= --padding= --suffix= --round= --invalid= --header? -k|--keep-files \
         -z|--elide-empty-files --prefix= --digits= -W= @num"
        )
    ),
    row!(
        "tree",
        Read,
        "lists a tree",
        H::None,
        "--help. --version. -a -d -l -f -x -L= -R -P= -I= --gitignore --ignore-case --matchdirs \
         --prune --filelimit= --noreport -q -N -Q -p -u -g -s -h --si --du -D --timefmt= -F \
         --inodes --device -v -t -c -U -r --dirsfirst --filesfirst --sort= -i -A -S -n -C -X -J \
         -H= -T= --charset=  -o>"
    ),
    row!(
        "file stat",
        Read,
        "describes files",
        H::None,
        gnu!(
            "-b|--brief -i|--mime --mime-type --mime-encoding -L|--dereference -h|--no-dereference \
         -z|--uncompress -Z -s|--special-files -k|--keep-going -r|--raw -0|--print0 -N \
         -f|--file-system -c|--format= --printf= -t|--terse --cached= -F= -e= -E= -m= -p -l -P"
        )
    ),
    row!(
        "du df",
        Read,
        "measures disk use",
        H::None,
        gnu!(
            "-0|--null -a|--all --apparent-size -B|--block-size= -b|--bytes -c|--total \
         -D|--dereference-args -d|--max-depth= --files0-from= -H -h|--human-readable --inodes \
         -k -L|--dereference -l|--count-links -m -P|--no-dereference -S|--separate-dirs --si \
         -s|--summarize -t|--threshold= --time? --time-style= -X|--exclude-from= --exclude= \
         -x|--one-file-system -i -T|--print-type --output? --sync --no-sync --type= \
         --exclude-type= --local"
        )
    ),
    row!(
        "pwd whoami id groups logname uptime w who last lastlog users nproc arch tty locale \
          getconf getent lscpu lsusb lspci lsblk blkid free vmstat iostat mpstat sar printenv \
          uname hostid cal ncal clear tput finger pinky",
        Read,
        "reads system information",
        H::None,
        gnu!(
            "-a|--all -L|--logical -P -u|--user -g|--group -G|--groups -n|--name -r|--real -z \
              -b|--bytes -k|--kilo -m|--mega -h|--human -w|--wide -s|--seconds -t|--total \
              -l|--list -o|--output= -f -p -i -e -J|--json -x -c= -d= -S= -T -v -V -q \
              -1 -3 -y -B -H -A -M -N -0|--null --pretty --since @num"
        ),
    ),
    row!(
        "which whereis type hash",
        Read,
        "finds a program",
        H::None,
        "--help. --version. -a -s -p -t -P -f -b -m -B= -M= -S= -u -l --skip-alias --all"
    ),
    row!(
        "man info apropos whatis tldr help",
        Read,
        "shows documentation",
        H::None,
        gnu!(
            "-a|--all -f|--whatis -k|--apropos -K|--global-apropos -w|--where|--path -W -l|--local-file \
         -s|--sections= -S= -M|--manpath= -L|--locale= -P|--pager$ -H|--html$ -t|--troff \
         -T|--troff-device? -Z -E|--encoding= -7 -d|--debug -i|--ignore-case -I|--match-case \
         --regex --wildcard --names-only -u|--update -c|--catman -R|--recode= -e|--extension= -r= -C= \
         -m= -X?"
        )
    ),
    row!(
        "test [ true false : yes cd pushd popd dirs exit return shift set unset shopt ulimit umask let local wait jobs \
          read sleep history break continue getopts times",
        Read,
        "changes shell state",
        H::Set,
        "@any"
    ),
    row!(
        "jq gojq jaq",
        Read,
        "filters JSON",
        H::None,
        "--help. -h. --version. -c -r -j -a -s -n -e -S -C -M -R --tab --indent= --arg= --argjson= \
         --slurpfile= --rawfile= --args --jsonargs -f= --from-file= -L= --seq --stream \
         --raw-output --raw-output0 --compact-output --sort-keys --exit-status --null-input \
         --slurp --raw-input --join-output --ascii-output --color-output --monochrome-output"
    ),
    row!(
        "yq",
        Read,
        "filters YAML",
        H::None,
        "--help. -h. --version. -V. -o|--output-format= -p|--input-format= -r -c -C -M -e -n -s= -I= \
         -P -j --prettyPrint -i|--inplace+ --front-matter= --arg= -y --unwrapScalar"
    ),
    row!(
        "bat batcat",
        Read,
        "shows files",
        H::None,
        "--help. -h. -V|--version. -A|--show-all -p|--plain -l|--language= -H|--highlight-line= \
         --file-name= -d|--diff -n|--number --color= --paging= --style= -r|--line-range= --theme= \
         --tabs= --wrap= -P -f|--force-colorization --pager$ --list-languages --list-themes"
    ),
    row!(
        "exa eza lsd",
        Read,
        "lists files",
        H::None,
        "--help. -v. --version. -1 -l -G -x -R -T -L= -F -a -A -d -D -r -s= --sort= --group-directories-first \
         -h -H -i -S -b -B -g -m -U -u -@ --git --icons --color= --no-icons --tree --long --all \
         --header --time-style="
    ),
    row!(
        "locate plocate mlocate",
        Read,
        "finds file names",
        H::None,
        "--help. -h. --version. -V. -i -c -l= -n= -b -e -r= -0 -A -S -q -w -d="
    ),
    row!(
        "sed gsed",
        Read,
        "transforms text",
        H::Sed,
        gnu!(
            "-n|--quiet|--silent --debug -e|--expression= -f|--file= --follow-symlinks -i|--in-place+? \
         -l|--line-length= --posix -E|-r|--regexp-extended -s|--separate --sandbox \
         -u|--unbuffered -z|--null-data -I+?"
        )
    ),
    row!(
        "awk gawk mawk nawk",
        Read,
        "transforms text",
        H::Awk,
        "@any"
    ),
    row!("find", Read, "lists files", H::Find, "@any"),
    row!(
        "fd fdfind",
        Read,
        "lists files",
        H::Fd,
        "--help. -h. -V|--version. -H|--hidden -I|--no-ignore -u|--unrestricted -s|--case-sensitive \
         -i|--ignore-case -g|--glob -F|--fixed-strings -a|--absolute-path -l|--list-details \
         -L|--follow -p|--full-path -0|--print0 -d|--max-depth= --min-depth= --exact-depth= \
         -t|--type= -e|--extension= -E|--exclude= -S|--size= --changed-within= --changed-before= \
         -o|--owner= -c|--color= -j|--threads= --max-results= -1 -q|--quiet --show-errors \
         --base-directory= --path-separator= --search-path= --strip-cwd-prefix? --prune \
         --no-ignore-vcs --no-ignore-parent --ignore-file= --format= -x|--exec$ -X|--exec-batch$ \
         --batch-size="
    ),
    row!("dd", Read, "copies data", H::Dd, "@any"),
    row!(
        "tar gtar bsdtar",
        Mutating,
        "creates or extracts an archive",
        H::Tar,
        "@any"
    ),
    row!("zip", Mutating, "creates an archive", H::Zip, "@any"),
    row!(
        "unzip",
        Mutating,
        "extracts an archive",
        H::None,
        "--help. -h. -v. -l. -Z. -t. -z. -p -o -n -q -qq -d> -x= -j -u -f -a -C -L -X -P="
    ),
    row!(
        "gzip gunzip bzip2 bunzip2 xz unxz zstd unzstd",
        Mutating,
        "compresses or decompresses files in place",
        H::None,
        gnu!(
            "-c|--stdout. -l|--list. -t|--test. -d|--decompress|--uncompress -f|--force \
         -k|--keep -n|--no-name -N|--name -q|--quiet -r|--recursive -S|--suffix= -v|--verbose \
         -1|--fast -9|--best -T= -o> -z -e -2 -3 -4 -5 -6 -7 -8 @num"
        )
    ),
    row!(
        "lz4 brotli",
        Mutating,
        "compresses or decompresses files",
        H::None,
        ""
    ),
    row!(
        "zcat bzcat xzcat zstdcat",
        Read,
        "reads compressed files",
        H::None,
        gnu!("-f -q -v -l")
    ),
    row!(
        "nm objdump readelf ldd size ffprobe identify",
        Read,
        "inspects binaries or media",
        H::None,
        ""
    ),
    row!(
        "mkdir",
        Mutating,
        "creates directories",
        H::None,
        gnu!("-m|--mode= -p|--parents -v|--verbose -Z --context?")
    ),
    row!(
        "touch",
        Mutating,
        "creates or touches files",
        H::None,
        gnu!("-a -c|--no-create -d|--date= -f -h|--no-dereference -m -r|--reference= -t= --time=")
    ),
    row!(
        "mkfifo csplit patch",
        Mutating,
        "creates or changes files",
        H::None,
        ""
    ),
    // `split --filter=CMD` runs CMD for each piece.
    row!(
        "split",
        Mutating,
        "splits a file into pieces",
        H::None,
        gnu!(
            "-a|--suffix-length= --additional-suffix= -b|--bytes= -C|--line-bytes= -d \
              --numeric-suffixes? -x --hex-suffixes? -e|--elide-empty-files --filter$ \
              -l|--lines= -n|--number= -t|--separator= -u|--unbuffered --verbose"
        )
    ),
    row!(
        "tee",
        Read,
        "copies its input",
        H::Tee,
        gnu!("-a|--append -i|--ignore-interrupts -p --output-error?")
    ),
    row!(
        "mv",
        Mutating,
        "moves or renames files (may overwrite)",
        H::Mv,
        "@any"
    ),
    row!("cp install", Mutating, "copies files", H::Copy, "@any"),
    row!(
        "ln",
        Mutating,
        "links files",
        H::Ln,
        gnu!(
            "-b|--backup? -d|-F|--directory -f|--force -i|--interactive -L|--logical -n|--no-dereference \
         -P|--physical -r|--relative -s|--symbolic -S|--suffix= -t|--target-directory= \
         -T|--no-target-directory -v|--verbose"
        )
    ),
    row!(
        "rsync",
        Mutating,
        "copies files",
        H::None,
        gnu!(
            "@num -n|--dry-run~ -v|--verbose -q|--quiet -c|--checksum -a|--archive -r|--recursive \
         -R|--relative -b|--backup --backup-dir= --suffix= -u|--update --inplace --append \
         -d|--dirs -l|--links -L|--copy-links -k|--copy-dirlinks -K|--keep-dirlinks -H|--hard-links \
         -p|--perms -E|--executability -A|--acls -X|--xattrs -o|--owner -g|--group --devices \
         --specials -D -t|--times -O|--omit-dir-times -J|--omit-link-times --super -S|--sparse \
         -W|--whole-file -x|--one-file-system -B|--block-size= -e|--rsh$ --rsync-path$ \
         --existing --ignore-existing --remove-source-files! --del! --delete! --delete-before! \
         --delete-during! --delete-delay! --delete-after! --delete-excluded! --ignore-errors \
         --force! --max-delete= --max-size= --min-size= --partial --partial-dir= --delay-updates \
         -m|--prune-empty-dirs --numeric-ids --timeout= --contimeout= -I|--ignore-times \
         --size-only --modify-window= -T|--temp-dir= -y|--fuzzy --compare-dest= --copy-dest= \
         --link-dest= -z|--compress --compress-level= --zc= -C|--cvs-exclude -f|--filter= -F \
         --exclude= --exclude-from= --include= --include-from= --files-from= -0|--from0 \
         -s|--protect-args --address= --port= --sockopts= --blocking-io --stats -8|--8-bit-output \
         -h|--human-readable --progress -P -i|--itemize-changes --out-format= --log-file> \
         --log-file-format= --password-file= --list-only --bwlimit= --write-batch> --only-write-batch> \
         --read-batch= --protocol= --iconv= -4|--ipv4 -6|--ipv6 --chmod= --chown= --usermap= \
         --groupmap= --info= --debug= --no-motd --mkpath -U|--atimes -N|--crtimes --open-noatime \
         --checksum-choice= --cc= --outbuf= --mmap --stop-after= --copy-as="
        )
    ),
    row!(
        "scp sftp",
        Mutating,
        "copies files over the network",
        H::Ssh,
        "-3 -4 -6 -A -B -C -O -p -q -R -r -T -v -c= -D= -F= -i= -J= -l= -o= -P= -S$ -X= -s -b@"
    ),
    row!(
        "vim vi nvim nano emacs code ed ex",
        Mutating,
        "edits files",
        H::Editor,
        "--help. --version. -c= --cmd= -S= -R -n -u= -U= -N -b -e -E -s -d -O? -o? -p? -y -Z \
         -i= -V? -r -L -x -M -m -l -t= -q= -w= -W> --clean --noplugin -es -Es -T= -g -f \
         --nofork --headless --listen= --remote= --wait -nw --batch -Q --eval= -batch -eval="
    ),
    row!(
        "shred srm wipe",
        Destructive,
        "overwrites and deletes files",
        H::None,
        ""
    ),
    row!(
        "rm",
        Destructive,
        "deletes files",
        H::None,
        gnu!(
            "-f|--force -i -I --interactive? --one-file-system --no-preserve-root --preserve-root? \
         -r|-R|--recursive -d|--dir -v|--verbose"
        )
    ),
    row!(
        "rmdir",
        Destructive,
        "removes directories",
        H::None,
        gnu!("--ignore-fail-on-non-empty -p|--parents -v|--verbose")
    ),
    row!(
        "unlink rimraf trash trash-put",
        Destructive,
        "deletes files",
        H::None,
        ""
    ),
    row!(
        "truncate",
        Destructive,
        "truncates files",
        H::Truncate,
        "@any"
    ),
    row!("gio", Mutating, "changes files", H::Gio, "@any"),
    row!(
        "xargs",
        Read,
        "runs a command on its input",
        H::Wrapper,
        "@any"
    ),
    row!(
        "mktemp",
        Mutating,
        "creates a temporary file",
        H::None,
        gnu!("-d|--directory -u|--dry-run -q|--quiet -p= --tmpdir? -t --suffix=")
    ),
    row!(
        "iconv glow pandoc xmllint csvlook mlr delta difft cloc tokei scc ctags shellcheck \
          hadolint jsonlint tsc mypy pylint",
        Read,
        "reads or checks files",
        H::None,
        ""
    ),
    row!(
        "black prettier rustfmt gofmt clang-format ruff eslint stylua",
        Mutating,
        "rewrites source files",
        H::Formatter,
        "@any"
    ),
    row!(
        "openssl gpg gpg2 ssh-keygen",
        Read,
        "reads keys or certificates",
        H::Keys,
        "@any"
    ),
];
