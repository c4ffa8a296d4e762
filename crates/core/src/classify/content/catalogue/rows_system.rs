//! The system: processes, disks, users, networks, wrappers, shells and interpreters.

use super::Base::{Admin, Destructive, Mutating, Read};
use super::Handler as H;
use super::Spec;

pub(super) const ROWS: &[Spec] = &[
    // Restores and imports that empty their target first (`mongorestore --drop` drops each
    // collection before restoring it, `mysqlimport --delete` empties each table).
    row!(
        "mongorestore mongoimport",
        Mutating,
        "restores or imports documents",
        H::None,
        "--drop! --dryRun~ --help. --version."
    ),
    row!(
        "mysqlimport mariadb-import",
        Mutating,
        "imports rows",
        H::None,
        "-d|--delete! --enable-delete! --loose-delete! --help. -V|--version."
    ),
    // PostgreSQL's WAL tools: `pg_resetwal` throws the log away (committed data with it),
    // `pg_archivecleanup` deletes archived segments a restore would need.
    row!(
        "pg_resetwal pg_resetxlog pg_archivecleanup",
        Destructive,
        "discards write-ahead log",
        H::None,
        "--help. -V|--version. -n|--dry-run."
    ),
    // Directory, account and key-store tools: deleting an entry or a key destroys it; adding
    // or changing one changes who may do what. `ldapsearch` only reads; `htpasswd -n` prints
    // the new line instead of writing the file, `-v` only verifies a password; `keytool
    // -list`/`-printcert` only print.
    row!(
        "ldapdelete",
        Destructive,
        "deletes directory entries",
        H::None,
        ""
    ),
    row!(
        "ldapmodify ldapadd ldapmodrdn ldappasswd",
        Admin,
        "changes directory entries (accounts, groups, access)",
        H::None,
        ""
    ),
    row!(
        "ldapsearch ldapwhoami ldapcompare",
        Read,
        "searches a directory",
        H::None,
        "-x -H= -h= -p= -D= -w= -W -y= -b= -s= -a= -l= -z= -f= -o= -E= -e= -L -A -u -v -n -c \
         -M -Z -I -Q -N -O= -R= -U= -X= -Y= -P= -d= -S= -t% -T> -V."
    ),
    row!(
        "htpasswd",
        Admin,
        "adds or changes a password in a password file",
        H::None,
        "-D! -c! -n. -v. -b -i -m -B -d -s -p -2 -5 -C= -r="
    ),
    row!(
        "keytool",
        Mutating,
        "changes a key store",
        H::None,
        "-delete! -importcert^ -import^ -changealias^ -storepasswd^ -keypasswd^ \
         -importkeystore^ -importpass^ -list. -printcert. -printcertreq. -printcrl. -help. \
         -keystore= -storepass= -storetype= -alias= -file= -v -rfc -cacerts -protected \
         -providername= -providerclass= -providerpath= -providerarg= -addprovider= -sslserver= \
         -jarfile= -trustcacerts -noprompt -destalias= -keypass= -new="
    ),
    // Processes and system state: reads.
    row!(
        "ps",
        Read,
        "lists processes",
        H::None,
        "--help. -V|--version. -a -A -d -e -f -F -H -j -l -L -M -N -T -w -ww -x -y -Z -c -m -r -o= -O= \
         -p= -q= -s= -t= -u= -U= -g= -G= -C= --pid= --ppid= --sort= --forest --no-headers \
         --headers --cols= --columns= --width= --format= -k="
    ),
    row!(
        "pstree",
        Read,
        "lists processes",
        H::None,
        "-a -c -g -h -H= -l -n -N= -p -s -S -t -T -u -U -Z -A -G"
    ),
    row!(
        "top htop atop btop iotop nethogs glances",
        Read,
        "watches processes",
        H::None,
        "-h. -v. --help. --version. -b -n= -d= -p= -u= -U= -o= -O= -c -H -i -S -s -w? -1 -E= -e= -C \
         -t -a -P -k -q -M -F= --sort-key= --tree --no-color --readonly -D="
    ),
    row!(
        "pgrep pidof",
        Read,
        "finds processes",
        H::None,
        "--help. -V|--version. -a|--list-full -c|--count -d|--delimiter= -f|--full -g|--pgroup= \
         -G|--group= -i|--ignore-case -l|--list-name -n|--newest -o|--oldest -O|--older= \
         -P|--parent= -s|--session= -t|--terminal= -u|--euid= -U|--uid= -v|--inverse \
         -w|--lightweight -x|--exact -F|--pidfile= -L|--logpidfile -r|--runstates= --ns= \
         --nslist= -q -S -z|--signal="
    ),
    row!(
        "lsof",
        Read,
        "lists open files",
        H::None,
        "-h. -v. -a -b -c= -C -d= -D= -f -F= -g= -i? -l -L -n -N -o -O -p= -P -r= -R -s= -S= -t \
         -T= -u= -U -w -x= -X -z= -Z= +c= +d= +D= +f= +L= +M +r= -E -K -M"
    ),
    // `fuser` lists who holds a file or port; `-k` kills them (`fuser -k 5432/tcp` stops a
    // database). A signal flag (`-9`, `-TERM`) is not listed: unknown, so never read.
    row!(
        "fuser",
        Read,
        "lists processes using files or sockets",
        H::None,
        "-h|--help. -V|--version. -l|--list-signals. -k|--kill! -i|--interactive -a|--all \
         -m|--mount -M|--ismountpoint -n|--namespace= -s|--silent -u|--user -v|--verbose -w \
         -4|--ipv4 -6|--ipv6"
    ),
    // System V IPC: `ipcs` lists, `ipcrm` removes queues, semaphores and shared memory
    // (a database's shared buffers among them).
    row!(
        "ipcs lsipc",
        Read,
        "lists IPC objects",
        H::None,
        "-h|--help. -V|--version. -a|--all -q|--queues -m|--shmems -s|--semaphores -i|--id= \
         -l|--limits -c|--creator -p|--pid -t|--time -u|--summary -b|--bytes --human \
         -e|--export -J|--json -n|--newline -r|--raw -o|--output= -g|--global \
         --noheadings --notruncate -P|--numeric-perms"
    ),
    row!(
        "ipcrm",
        Destructive,
        "removes IPC objects",
        H::None,
        "-h|--help. -V|--version."
    ),
    // File capabilities: `getcap` prints them; `setcap cap_setuid+ep python3` lets any user
    // become root through that binary.
    row!(
        "getcap",
        Read,
        "prints file capabilities",
        H::None,
        "-h. -r -v -n="
    ),
    row!(
        "setcap",
        Admin,
        "sets file capabilities (privileges)",
        H::None,
        "-h. -q -v -n= -r"
    ),
    row!(
        "netstat ss",
        Read,
        "lists network sockets",
        H::None,
        "-h|--help. -V|--version. -a|--all -l|--listening -n|--numeric -p|--processes|--program \
         -t|--tcp -u|--udp -x|--unix -w|--raw -4|--ipv4 -6|--ipv6 -r|--route -i|--interfaces \
         -s|--summary -e|--extended -o|--options|--timers -m|--memory -c|--continuous -g|--groups \
         -H|--no-header -O|--oneline -Z|--context -z -f|--family= -A|--query= -N= -b -v -W|--wide \
         -M -K|--kill% -D|--diag> -F= -E --inet"
    ),
    row!(
        "ping ping6 fping",
        Read,
        "sends echo requests",
        H::None,
        "-h. -V. -4 -6 -a -A -b -B -c= -d -D -f% -i= -I= -l= -L -m= -M= -n -O -p= -q -Q= -r -R -s= \
         -S= -t= -T= -U -v -w= -W="
    ),
    row!(
        "dig nslookup host drill",
        Read,
        "looks up names",
        H::None,
        "-h. -v. -4 -6 -b= -c= -f= -k= -m -p= -q= -r -t= -x= -y= -a -C -d -l -N= -R= -s -T -U -W= \
         -i -u"
    ),
    row!(
        "traceroute tracepath mtr whois",
        Read,
        "traces routes or looks up owners",
        H::None,
        "--help. -V. -4 -6 -I -T -U -n -m= -q= -w= -p= -i= -s= -f= -z= -N= -r -c= -b -h= -H \
         --report --json"
    ),
    row!(
        "sensors dmidecode lshw hwinfo inxi",
        Read,
        "reads hardware information",
        H::None,
        "-h. --help. -V. --version. -t= -s= -q -u -j -A -f -short -json -class= -c -b"
    ),
    row!(
        "ldconfig",
        Mutating,
        "rebuilds the library cache",
        H::None,
        "-p|--print-cache. -v -N -X -n"
    ),
    // Disks and machines: destructive.
    row!(
        "fdisk sfdisk gdisk cfdisk",
        Destructive,
        "changes a partition table",
        H::None,
        "-l|--list. -h|--help. -V|--version. -d|--dump. -s. -x. -u? -b= -c? -C= -H= -S= -o= -t= -L? \
         -w= -W= -n -f -X= -Y= --no-reread -B -J -r= -A= -N= --delete! -Z! --wipe! --wipe-partitions!"
    ),
    row!(
        "parted",
        Destructive,
        "changes a partition table",
        H::None,
        "-l|--list. -h|--help. -v|--version. -s|--script -m|--machine -a|--align= -f|--fix"
    ),
    row!(
        // Their short flags mean different things (`mkfs.vfat -n NAME`, `cryptsetup -h HASH`,
        // `sgdisk -n 1:0:0`), so none of them lowers the verdict.
        "blkdiscard lvremove vgremove pvremove mdadm swapoff umount losetup \
          cryptsetup mkswap mkfs",
        Destructive,
        "erases, unmounts or reformats storage",
        H::None,
        ""
    ),
    // Its print flags only print; `-P|--pretend` is not believed (zapping may still write).
    row!(
        "sgdisk",
        Destructive,
        "changes a GPT partition table",
        H::None,
        "-p|--print. -O|--print-mbr. -v|--verify. -h|--help. -V|--version. -L|--list-types. \
         -i|--info= -Z|--zap-all! -z|--zap! -o|--clear! -d|--delete!= -g|--mbrtogpt% \
         -n|--new%= -t|--typecode%= -c|--change-name%= -l|--load-backup!= -b|--backup>"
    ),
    // Shrinking a volume or labelling a device loses what was on it.
    row!(
        "lvreduce lvresize vgreduce pvcreate vgcreate",
        Destructive,
        "shrinks volumes or initialises devices",
        H::None,
        "-h|--help. --version."
    ),
    // The hardware clock: `--show`/`--get` read; setting it changes the system.
    row!(
        "hwclock",
        Read,
        "reads the hardware clock",
        H::None,
        "-h|--help. -V|--version. -r|--show --get -u|--utc -l|--localtime --verbose -v \
         --debug -D --test~ -w|--systohc^ -s|--hctosys^ --set^ --date= --adjust^ --systz^ \
         --predict --epoch= --getepoch --setepoch^ -f|--rtc= --update-drift^ --noadjfile"
    ),
    // Storage and mount state: reads.
    row!(
        "lvs vgs pvs lvdisplay vgdisplay pvdisplay lvscan vgscan pvscan",
        Read,
        "lists LVM volumes",
        H::None,
        "-h|--help. --version. -a|--all -o|--options= -O|--sort= --noheadings --nosuffix \
         --units= --separator= --reportformat= -S|--select= -v|--verbose -q|--quiet \
         --readonly -m|--maps -c|--colon -C|--columns -s|--short --binary --aligned \
         --unbuffered --nameprefixes --rows -P|--partial --foreign --shared -d|--debug"
    ),
    row!(
        "findmnt",
        Read,
        "lists mounts",
        H::None,
        "-h|--help. -V|--version. -A|--all -b|--bytes -c|--canonicalize -D|--df \
         -d|--direction= -e|--evaluate -F|--tab-file= -f|--first-only -i|--invert -J|--json \
         -k|--kernel -l|--list -M|--mountpoint= -m|--mtab -N|--task= -n|--noheadings \
         -O|--options= -o|--output= --output-all -P|--pairs -p|--poll? -R|--submounts \
         -r|--raw -S|--source= -s|--fstab -T|--target= -t|--types= -U|--uniq \
         -u|--notruncate -v|--nofsroot -w|--timeout= -x|--verify --verbose --real --pseudo \
         -y|--shadow --list-columns"
    ),
    row!(
        "getfacl",
        Read,
        "shows access control lists",
        H::None,
        "-h|--help. -v|--version. -a|--access -d|--default -c|--omit-header \
         -e|--all-effective -E|--no-effective -s|--skip-base -R|--recursive -L|--logical \
         -P|--physical -t|--tabular -n|--numeric -p|--absolute-names"
    ),
    row!(
        "lsattr",
        Read,
        "shows file attributes",
        H::None,
        "-R -V -a -d -l -p -v"
    ),
    // Enabling swap changes the system; `--show` and `--summary` only print.
    row!(
        "swapon",
        Mutating,
        "enables swap space",
        H::None,
        "-h|--help. -V|--version. --show. -s|--summary. --noheadings --raw --bytes \
         -a|--all% -d|--discard? -e|--ifexists -f|--fixpgsz -p|--priority= -v|--verbose"
    ),
    // Captures packets: reading traffic; `-w` writes a file, `-z` runs a command on it.
    row!(
        "tcpdump",
        Read,
        "captures network traffic",
        H::None,
        "-h|--help. --version. -A -b -c|--count= -C= -d -dd -ddd -D|--list-interfaces -e \
         -E= -f -F= -G= -H -i|--interface= -I|--monitor-mode -j|--time-stamp-type= \
         -J|--list-time-stamp-types -K|--dont-verify-checksums -l -L|--list-data-link-types \
         -m= -M= -n -N -# -O|--no-optimize -p|--no-promiscuous-mode -Q|--direction= -q -r= \
         -S|--absolute-tcp-sequence-numbers -s|--snapshot-length= -T= -t -u \
         -U|--packet-buffered -v -V= -w> -W= -x -X -y|--linktype= -z$ \
         -Z|--relinquish-privileges= --immediate-mode --time-stamp-precision= --micro \
         --nano --print --number --lengths"
    ),
    row!(
        "wipefs",
        Read,
        "lists file system signatures",
        H::None,
        "-h|--help. -V|--version. -n|--no-act~ -a|--all! -o|--offset!= -f|--force \
         -t|--types= -b|--backup -q|--quiet -p|--parsable -O|--output= -J|--json \
         -i|--noheadings --lock?"
    ),
    row!(
        "kill pkill killall xkill",
        Destructive,
        "kills processes",
        H::Kill,
        "@any"
    ),
    // `kexec -e` boots the kernel `kexec -l` loaded, as a reboot does.
    row!(
        "kexec",
        Destructive,
        "loads or boots another kernel",
        H::None,
        "-h|--help. -v|--version."
    ),
    row!(
        "shutdown reboot halt poweroff init telinit",
        Destructive,
        "stops the machine",
        H::Shutdown,
        "@any"
    ),
    row!(
        "dmesg",
        Read,
        "reads the kernel log",
        H::None,
        "-h|--help. -V|--version. -C|--clear! -c|--read-clear! -D|--console-off^ -E|--console-on^ \
         -n|--console-level^= -H|--human -T|--ctime -w|--follow -W|--follow-new -L|--color? \
         -l|--level= -f|--facility= -k|--kernel -x|--decode -r|--raw -t|--notime -d|--show-delta \
         -e|--reltime -u|--userspace -S|--syslog -P|--nopager -F|--file= -J|--json \
         --time-format= --since= --until= -s|--buffer-size="
    ),
    row!(
        "zfs zpool",
        Destructive,
        "changes ZFS pools or datasets",
        H::Zfs,
        "@any"
    ),
    row!(
        "dropdb",
        Destructive,
        "drops a database",
        H::None,
        "--help. -V|--version. -e|--echo -f|--force -i|--interactive --if-exists -h|--host= \
         -p|--port= -U|--username= -w|--no-password -W|--password --maintenance-db="
    ),
    // Access and system configuration: admin.
    row!(
        "chmod",
        Mutating,
        "changes file permissions",
        H::Chmod,
        "@any"
    ),
    row!(
        "chown chgrp setfacl chattr chcon",
        Admin,
        "changes ownership or access",
        H::None,
        ""
    ),
    row!(
        "useradd userdel usermod passwd chpasswd visudo groupadd groupdel groupmod gpasswd \
          adduser deluser addgroup delgroup vipw vigr chsh chage newusers",
        Admin,
        "changes users or groups",
        H::None,
        ""
    ),
    row!(
        "iptables ip6tables iptables-restore iptables-save nft ufw firewall-cmd ipset",
        Admin,
        "changes the firewall",
        H::Firewall,
        "@any"
    ),
    row!(
        "sysctl",
        Admin,
        "changes kernel settings",
        H::Sysctl,
        "@any"
    ),
    row!(
        "ip ifconfig route nmcli mount timedatectl hostnamectl localectl",
        Admin,
        "changes network or system settings",
        H::NetAdmin,
        "@any"
    ),
    row!(
        "hostname",
        Read,
        "prints the host name",
        H::Hostname,
        "@any"
    ),
    row!(
        "date",
        Read,
        "prints the date",
        H::Date,
        "@gnu --help. --version. -d|--date= -f|--file= -I|--iso-8601? -R|--rfc-email \
         --rfc-3339= -r|--reference= -u|--utc|--universal --debug -s|--set^="
    ),
    row!(
        "modprobe rmmod insmod setenforce semanage setsebool update-alternatives ssh-copy-id \
          aa-disable aa-complain ifdown ifup createuser dropuser",
        Admin,
        "changes system configuration or access",
        H::None,
        ""
    ),
    // `auditctl -l` (the rules) and `-s` (the status) only print.
    row!(
        "auditctl",
        Admin,
        "changes the audit rules",
        H::None,
        "-l. -s. -h. -v. -D! -e^= -a^= -A^= -d^= -w^= -W^= -f^= -b^= -r^= -R^= -k= -p= -F= \
         -S= -C= -i -c -q^="
    ),
    // Wrappers: they run the rest of their arguments (see `wrappers::wrapper`).
    row!(
        "sudo doas pkexec run0 runuser sg newgrp su env command builtin exec nohup time unbuffer \
          setsid caffeinate torsocks proxychains proxychains4 tsocks chronic busybox coreutils fakeroot \
          firejail catchsegv valgrind faketime entr retry cpulimit strace ltrace gdb nice \
          ionice taskset numactl timeout stdbuf chrt flock script watch parallel nsenter \
          chroot systemd-run npx pnpx bunx eval source . trap alias export declare typeset \
          readonly mapfile readarray",
        Read,
        "runs a command",
        H::Wrapper,
        "@any"
    ),
    row!("ssh", Mutating, "runs a remote command", H::Ssh, "@any"),
    row!(
        "bash sh zsh dash ksh mksh ash fish csh tcsh yash rbash",
        Mutating,
        "runs a shell",
        H::Shell,
        "@any"
    ),
    row!(
        "python pypy ipython ipython3 node nodejs bun deno ts-node tsx perl perl5 ruby irb jruby php lua \
          luajit rscript Rscript osascript tclsh wish groovy jshell scala kotlin julia elixir \
          iex erl ghci runghc swift",
        Mutating,
        "runs code",
        H::Interpreter,
        "@any"
    ),
    // Remote shells and network tools that send what they are given.
    row!(
        "socat",
        Mutating,
        "relays data between addresses",
        H::Socat,
        "@any"
    ),
    row!(
        "expect",
        Mutating,
        "runs an expect script",
        H::Expect,
        "@any"
    ),
    // `-z` only reports whether a port answers: no data is sent (what arrives on the input is
    // judged before the row, so a secret piped in still counts as sent).
    row!(
        "nc ncat netcat telnet ftp",
        Mutating,
        "opens a network connection",
        H::None,
        "-h. --help. --version. -4 -6 -u -v -vv -z. -n -w= -p= -s= -q= -i= -l% -k -e$ -c$ --exec$ \
         --sh-exec$ -N -C -U -t -x= -X= --ssl"
    ),
];
