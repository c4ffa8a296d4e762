//! Secret-named variables the shared list ([`args::sent_secret_variable`]) does not take: a
//! webhook's URL is its own credential (`SLACK_WEBHOOK_URL`), a JWT or bearer token, a
//! one-time-password seed, signing and private material. Matched on the name's `_`-separated
//! parts, so that `$HOME`, `$PATH` or `$USER` never match; a name that says where the secret
//! is (`JWT_FILE`, `WEBHOOK_ID`) is a locator, not the secret.

use super::super::args;

/// True if a variable of this name holds a secret that must not be sent.
pub(super) fn sent_secret(name: &str) -> bool {
    args::sent_secret_variable(name) || more_secret(name)
}

fn more_secret(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    let parts: Vec<&str> = n.split('_').filter(|p| !p.is_empty()).collect();
    let part = |w: &[&str]| parts.iter().any(|p| w.contains(p));
    const LOCATORS: &[&str] = &[
        "PATH",
        "FILE",
        "DIR",
        "ID",
        "NAME",
        "ENDPOINT",
        "EXPIRY",
        "TTL",
        "TYPE",
        "ALG",
        "ALGORITHM",
        "ISSUER",
        "AUDIENCE",
        "HEADER",
        "LENGTH",
        "SIZE",
        "ENABLED",
        "VERSION",
    ];
    let locator = parts.last().is_some_and(|l| LOCATORS.contains(l)) || n.contains("PUBLIC");
    // `WEBHOOK`, `SLACKWEBHOOK`, `DISCORD_WEBHOOK_URL`: the URL itself carries the key.
    let webhook = parts.iter().any(|p| p.contains("WEBHOOK"));
    let token = part(&[
        "JWT",
        "BEARER",
        "OTP",
        "TOTP",
        "HOTP",
        "MFA",
        "PRIVATE",
        "SIGNING",
        "HMAC",
        "PASSPHRASE",
        "MNEMONIC",
        "PRIVKEY",
    ]);
    // A seed is a secret but a random generator's (`RANDOM_SEED`, `TEST_SEED`).
    let seed = parts.contains(&"SEED") && !part(&["RANDOM", "RNG", "TEST", "SHUFFLE", "FAKER"]);
    (webhook || token || seed) && !locator
}

#[cfg(test)]
mod tests {
    use super::sent_secret;

    #[test]
    fn names_and_their_twins() {
        for n in [
            "SLACK_WEBHOOK_URL",
            "DISCORD_WEBHOOK",
            "WEBHOOK",
            "CI_JOB_JWT",
            "JWT",
            "BEARER",
            "OTP_SEED",
            "SEED",
            "GPG_PASSPHRASE",
            "APP_SIGNING_SECRET",
            "NPM_TOKEN",
        ] {
            assert!(sent_secret(n), "{n}");
        }
        for n in [
            "HOME",
            "PATH",
            "USER",
            "HOSTNAME",
            "SHELL",
            "LANG",
            "PWD",
            "RANDOM_SEED",
            "WEBHOOK_ID",
            "JWT_FILE",
            "JWT_ALGORITHM",
            "OTPUT",
            "SEEDS_DIR",
        ] {
            assert!(!sent_secret(n), "{n}");
        }
    }
}
