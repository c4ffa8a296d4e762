//! Operations: version control, orchestration, infrastructure and cloud CLIs, containers,
//! services, package managers, build tools, HTTP and database clients. Their subcommand
//! grammars are judged by handlers in `tools` and `devops`.

use super::Base::{Admin, Mutating, Read};
use super::Handler as H;
use super::Spec;

macro_rules! row {
    ($names:expr, $base:expr, $what:expr, $h:expr) => {
        Spec {
            names: $names,
            base: $base,
            what: $what,
            handler: $h,
            flags: "@any",
        }
    };
}

pub(super) const ROWS: &[Spec] = &[
    row!("git", Mutating, "changes the repository", H::Git),
    row!(
        "kubectl oc k",
        Mutating,
        "changes cluster resources",
        H::Kubectl
    ),
    row!("helm", Mutating, "changes releases", H::Helm),
    row!(
        "terraform tofu terragrunt",
        Mutating,
        "changes infrastructure",
        H::Terraform
    ),
    row!(
        "pulumi cdk cdktf serverless sls",
        Mutating,
        "changes infrastructure",
        H::Pulumi
    ),
    row!(
        "aws gcloud gsutil az doctl s3cmd heroku vercel netlify fly flyctl wrangler firebase \
          supabase eksctl argocd flux vault consul nomad glab sf sfdx minikube kind skaffold \
          kustomize vagrant packer lxc virsh etcdctl influx docker-machine crictl ctr btrfs \
          azcopy b2 mc devcontainer",
        Mutating,
        "changes cloud or remote resources",
        H::Cloud
    ),
    row!("gh", Mutating, "changes GitHub resources", H::Gh),
    row!(
        "busctl dbus-send gdbus qdbus mysqlslap",
        Mutating,
        "calls a D-Bus method or loads a database",
        H::ProcessManager
    ),
    row!("rclone", Mutating, "copies cloud storage", H::Rclone),
    row!(
        "ansible ansible-playbook",
        Mutating,
        "runs automation on hosts",
        H::Ansible
    ),
    row!(
        "kafka-topics kafka-topics.sh kafka-configs kafka-configs.sh kafka-consumer-groups \
          kafka-consumer-groups.sh kafka-acls kafka-acls.sh kafka-delete-records \
          kafka-delete-records.sh kafka-storage kafka-storage.sh",
        Mutating,
        "changes Kafka",
        H::Kafka
    ),
    row!(
        "docker podman docker-compose nerdctl",
        Mutating,
        "changes containers",
        H::Docker
    ),
    row!(
        "systemctl service launchctl",
        Mutating,
        "changes services",
        H::Service
    ),
    row!(
        "pm2 supervisorctl pg_ctl pg_ctlcluster forever rc-service sv monit circusctl",
        Mutating,
        "controls processes",
        H::ProcessManager
    ),
    // Backup repositories, message brokers and cluster tools: the subcommand decides.
    row!(
        "borg restic kopia duplicity rabbitmqctl rabbitmq-plugins pg_dropcluster pg_createcluster \
          pg_upgradecluster",
        Mutating,
        "manages backups, queues or clusters",
        H::ProcessManager
    ),
    // Cluster and message-broker CLIs: `kubeadm reset` wipes a node, `nats stream purge`
    // empties a stream.
    row!(
        "kubeadm nats",
        Mutating,
        "manages a cluster node or a message broker",
        H::ProcessManager
    ),
    // Data-store, version-control and directory CLIs whose command word decides (`hdfs dfs
    // -rm`, `hg strip`, `zkCli.sh deleteall`, `samba-tool user delete`, `kcadm.sh delete`,
    // `openstack server delete`), judged at its place, not as any word (`hg log -r strip`).
    row!(
        "hdfs hadoop hg zkCli.sh zkCli zookeeper-shell zookeeper-shell.sh samba-tool kcadm.sh \
          kcadm openstack",
        Mutating,
        "changes a file system, repository, directory or cloud",
        H::ProcessManager
    ),
    row!("crontab", Admin, "installs scheduled commands", H::Crontab),
    row!("at batch", Admin, "schedules commands", H::At),
    row!(
        "pip pip3 pipx uv poetry gem composer conda mamba twine",
        Mutating,
        "changes packages",
        H::LangPkg
    ),
    row!(
        "npm yarn pnpm",
        Mutating,
        "changes packages or runs scripts",
        H::JsPkg
    ),
    row!(
        "cargo go dotnet",
        Mutating,
        "builds or runs code",
        H::LangPkg
    ),
    row!(
        "make gmake just rake gradle gradlew mvn ansible-runner pytest jest tox nox",
        Mutating,
        "runs build recipes whose commands are not visible",
        H::Build
    ),
    row!(
        "apt apt-get yum dnf brew apk pacman snap zypper",
        Admin,
        "changes system packages",
        H::SysPkg
    ),
    row!(
        "curl wget http https xh",
        Read,
        "sends an HTTP request",
        H::Http
    ),
    row!(
        "psql mysql mariadb sqlite3 sqlite redis-cli mongosh mongo clickhouse-client duckdb \
          sqlcmd cqlsh bq cockroach snowsql sqlplus valkey-cli keydb-cli spark-sql beeline hive \
          impala-shell trino presto",
        Mutating,
        "runs database commands",
        H::DbClient
    ),
    row!("mysqladmin", Read, "reads server status", H::Mysqladmin),
    row!("pg_dump pg_dumpall", Read, "dumps a database", H::PgDump),
    // Its flags are proven against the `mysqldump:` row.
    row!("mysqldump", Read, "dumps a database", H::PgDump),
    row!("pg_restore", Mutating, "restores a dump", H::PgRestore),
    row!("createdb", Mutating, "creates a database", H::None),
    row!("journalctl", Read, "reads logs", H::Journalctl),
    row!(
        "dscl defaults diskutil csrutil spctl tmutil kextload",
        Admin,
        "changes system configuration",
        H::MacAdmin
    ),
    row!(
        "java javac rustc gcc cc clang g++ git-lfs",
        Mutating,
        "compiles or runs code",
        H::None
    ),
];
