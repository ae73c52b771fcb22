//! Passphrase encryption of a saved file in the standard **age** format (age-encryption.org/v1,
//! one scrypt passphrase recipient), with the `age` crate: `age -d` decrypts what this writes on
//! any machine, and files written by `age -p` open here. It lives in the worker because it
//! needs randomness (core has none) and because scrypt takes a second or more of work.
//!
//! Every failure is a sentence for the researcher, and a failed decryption yields nothing: the
//! caller changes nothing unless it receives the whole plaintext, whose authenticity age checks
//! chunk by chunk (a tampered or truncated file is an error, not a shortened project).

use age::secrecy::SecretString;
use std::io::{Read, Write};
use std::iter;

#[cfg(test)]
use framewise_core::share::is_encrypted as is_sealed;

/// The scrypt work factor (log2 N) used to encrypt: age's own default, about a second natively.
pub const WORK_FACTOR: u8 = 18;

/// The highest work factor accepted when decrypting: files made by `age -p` on a fast machine
/// use a little more than 18; far more would keep the worker busy for minutes.
pub const MAX_WORK_FACTOR: u8 = 22;

/// `plain` encrypted with `passphrase` (binary age format, scrypt recipient).
pub fn seal(plain: &[u8], passphrase: &str) -> Result<Vec<u8>, String> {
    if passphrase.is_empty() {
        return Err("Choose a passphrase to encrypt the file with.".into());
    }
    let mut recipient = age::scrypt::Recipient::new(SecretString::from(passphrase.to_string()));
    recipient.set_work_factor(WORK_FACTOR);
    let encryptor = age::Encryptor::with_recipients(iter::once(&recipient as &dyn age::Recipient))
        .map_err(|e| format!("The file could not be encrypted: {e}"))?;
    let mut out = Vec::with_capacity(plain.len() + 256);
    let mut writer = encryptor
        .wrap_output(&mut out)
        .map_err(|e| format!("The file could not be encrypted: {e}"))?;
    writer
        .write_all(plain)
        .and_then(|_| writer.finish().map(|_| ()))
        .map_err(|e| format!("The file could not be encrypted: {e}"))?;
    Ok(out)
}

/// The plaintext of an age file encrypted with `passphrase`, or why not.
pub fn unseal(sealed: &[u8], passphrase: &str) -> Result<Vec<u8>, String> {
    let armored = age::armor::ArmoredReader::new(sealed);
    let decryptor = age::Decryptor::new(armored).map_err(|e| match e {
        age::DecryptError::UnknownFormat => {
            "This encrypted file was made by a newer version of age than Framewise can read."
                .to_string()
        }
        _ => "This is not a readable age-encrypted file (its header is damaged).".to_string(),
    })?;
    if !decryptor.is_scrypt() {
        return Err(
            "This file is encrypted to a key (an age identity), not with a passphrase: \
                    Framewise opens passphrase-encrypted files only (age -p)."
                .into(),
        );
    }
    let mut identity = age::scrypt::Identity::new(SecretString::from(passphrase.to_string()));
    identity.set_max_work_factor(MAX_WORK_FACTOR);
    let mut reader = decryptor
        .decrypt(iter::once(&identity as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::ExcessiveWork { required, .. } => format!(
                "This file asks for too much work to decrypt (scrypt work factor {required}, \
                 at most {MAX_WORK_FACTOR} is accepted)."
            ),
            age::DecryptError::InvalidMac | age::DecryptError::InvalidHeader => {
                "The encrypted file's header was changed or damaged: nothing was opened.".into()
            }
            _ => "Wrong passphrase (or the file was changed): nothing was opened.".into(),
        })?;
    let mut plain = Vec::new();
    reader
        .read_to_end(&mut plain)
        .map_err(|_| "The encrypted file was changed or cut short: nothing was opened.")?;
    Ok(plain)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_file_opens_with_its_passphrase_only() {
        let plain = "{\"format\":\"framewise\",\"name\":\"Zoë’s project\"}".as_bytes();
        let sealed = seal(plain, "correct horse").unwrap();
        assert!(is_sealed(&sealed));
        assert!(!is_sealed(plain));
        assert!(sealed.starts_with(b"age-encryption.org/v1\n-> scrypt "));
        assert!(
            !sealed.windows(5).any(|w| w == b"horse")
                && !sealed.windows(4).any(|w| w == b"Zo\xc3\xab"),
            "neither the passphrase nor the text is in the file"
        );
        assert_eq!(unseal(&sealed, "correct horse").unwrap(), plain);
        let wrong = unseal(&sealed, "correct horsE").unwrap_err();
        assert!(wrong.starts_with("Wrong passphrase"), "{wrong}");
        assert!(seal(plain, "").is_err());
    }

    #[test]
    fn a_tampered_or_cut_file_is_refused_whole() {
        let plain = vec![b'x'; 200_000];
        let sealed = seal(&plain, "pw").unwrap();
        // A byte of the payload flipped: the chunk's tag fails.
        let mut body = sealed.clone();
        let last = body.len() - 10;
        body[last] ^= 1;
        assert!(unseal(&body, "pw").unwrap_err().contains("changed"));
        // Cut short.
        let cut = &sealed[..sealed.len() / 2];
        assert!(unseal(cut, "pw")
            .unwrap_err()
            .contains("nothing was opened"));
        // The header's work factor changed: the header MAC fails.
        let text = String::from_utf8_lossy(&sealed[..60]).to_string();
        let mut header = sealed.clone();
        let at = text.find(" 18\n").unwrap();
        header[at + 2] = b'7';
        assert!(unseal(&header, "pw").is_err());
        // Not an age file at all.
        assert!(unseal(b"{\"json\": true}", "pw")
            .unwrap_err()
            .contains("not a readable"));
    }

    /// Interoperability with Debian's `age` command (the reference implementation's CLI): it
    /// decrypts what Framewise writes, and Framewise opens what `age -p` writes. `age` reads
    /// passphrases only from a terminal, so it runs under `script` (a pseudo-terminal fed from
    /// stdin). Under CI (`CI` set) a missing `age` fails the test; elsewhere it is skipped loudly.
    #[test]
    fn the_age_command_reads_ours_and_we_read_its() {
        use std::process::{Command, Stdio};
        let have = |tool: &str| {
            Command::new("sh")
                .args(["-c", &format!("command -v {tool}")])
                .output()
                .is_ok_and(|o| o.status.success())
        };
        if !have("age") || !have("script") {
            assert!(
                std::env::var_os("CI").is_none(),
                "the `age` and `script` commands are needed (apt-get install age bsdutils)"
            );
            eprintln!("SKIPPED: `age` or `script` is not installed (./x test installs them)");
            return;
        }
        let dir = std::env::temp_dir().join(format!("framewise-age-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let run_age = |args: &str, passphrase: &str, times: usize| {
            let mut child = Command::new("script")
                .args(["-qec", &format!("age {args}"), "/dev/null"])
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            let feed = format!("{passphrase}\n").repeat(times);
            child
                .stdin
                .take()
                .unwrap()
                .write_all(feed.as_bytes())
                .unwrap();
            child.wait().unwrap()
        };
        let plain = "Participant 12: “the ARRS role changed everything” — ü, 漢字\n".repeat(500);

        // Ours → age -d.
        let ours = dir.join("ours.framewise.json.age");
        std::fs::write(&ours, seal(plain.as_bytes(), "tea at four").unwrap()).unwrap();
        let out = dir.join("ours.out");
        let status = run_age(
            &format!("-d -o {} {}", out.display(), ours.display()),
            "tea at four",
            1,
        );
        assert!(status.success(), "age -d failed on our file");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), plain);

        // age -p → ours (and a wrong passphrase is refused).
        let input = dir.join("theirs.txt");
        std::fs::write(&input, &plain).unwrap();
        let theirs = dir.join("theirs.age");
        let status = run_age(
            &format!("-p -o {} {}", theirs.display(), input.display()),
            "biscuits",
            2,
        );
        assert!(status.success(), "age -p failed");
        let sealed = std::fs::read(&theirs).unwrap();
        assert!(is_sealed(&sealed));
        assert_eq!(unseal(&sealed, "biscuits").unwrap(), plain.as_bytes());
        assert!(unseal(&sealed, "cake").is_err());

        // Armoured (age -a) files open too.
        let armored = dir.join("theirs.asc");
        let status = run_age(
            &format!("-p -a -o {} {}", armored.display(), input.display()),
            "biscuits",
            2,
        );
        assert!(status.success(), "age -p -a failed");
        let sealed = std::fs::read(&armored).unwrap();
        assert!(is_sealed(&sealed));
        assert_eq!(unseal(&sealed, "biscuits").unwrap(), plain.as_bytes());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
