//! Secrets at rest: AES-256-GCM for personal data, HMAC for the reporter's receipt, Argon2id
//! for passwords.

use aes_gcm::aead::{Aead, KeyInit, OsRng};
use aes_gcm::{AeadCore, Aes256Gcm, Key, Nonce};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::{Result, StoreError};

const PREFIX: &str = "v1:";

/// Encrypts and decrypts personal data with the platform's data key.
#[derive(Clone)]
pub struct Cipher {
    aead: Aes256Gcm,
    mac_key: [u8; 32],
    log_key: [u8; 32],
}

impl std::fmt::Debug for Cipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cipher(..)")
    }
}

impl Cipher {
    /// Builds the cipher from a base64-encoded 32-byte key.
    pub fn from_base64(key: &str) -> Result<Self> {
        let bytes = STANDARD.decode(key.trim()).map_err(|e| StoreError::Crypto(format!("data key is not base64: {e}")))?;
        let bytes: [u8; 32] =
            bytes.try_into().map_err(|v: Vec<u8>| StoreError::Crypto(format!("data key must be 32 bytes, got {}", v.len())))?;
        Ok(Self::from_bytes(bytes))
    }

    /// Builds the cipher from raw key bytes.
    pub fn from_bytes(key: [u8; 32]) -> Self {
        // A separate MAC key, so a receipt reveals nothing about the encryption key.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key).expect("any key length");
        mac.update(b"civicgrid receipt key");
        let mac_key: [u8; 32] = mac.finalize().into_bytes().into();
        // And another for the event logs' chains, which a copy of the database alone cannot forge.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key).expect("any key length");
        mac.update(b"civicgrid log chain key");
        let log_key: [u8; 32] = mac.finalize().into_bytes().into();
        Cipher { aead: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&key)), mac_key, log_key }
    }

    /// The key the event logs are chained and checkpointed with (see `kit::chain`).
    pub fn log_key(&self) -> [u8; 32] {
        self.log_key
    }

    /// A fresh random key, base64-encoded, for `demo` and first set-up.
    pub fn generate_key() -> String {
        STANDARD.encode(Aes256Gcm::generate_key(OsRng))
    }

    /// Encrypts `plain` with a random nonce: `v1:` + base64(nonce ‖ ciphertext).
    pub fn encrypt(&self, plain: &str) -> String {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let ct = self.aead.encrypt(&nonce, plain.as_bytes()).expect("AES-GCM encryption does not fail");
        let mut out = nonce.to_vec();
        out.extend(ct);
        format!("{PREFIX}{}", STANDARD.encode(out))
    }

    /// Decrypts what [`Cipher::encrypt`] made.
    pub fn decrypt(&self, stored: &str) -> Result<String> {
        let raw = stored
            .strip_prefix(PREFIX)
            .and_then(|b| STANDARD.decode(b).ok())
            .filter(|r| r.len() > 12)
            .ok_or_else(|| StoreError::Crypto("not a civicgrid ciphertext".into()))?;
        let (nonce, ct) = raw.split_at(12);
        let plain = self
            .aead
            .decrypt(Nonce::from_slice(nonce), ct)
            .map_err(|_| StoreError::Crypto("wrong data key or tampered ciphertext".into()))?;
        String::from_utf8(plain).map_err(|e| StoreError::Crypto(e.to_string()))
    }

    /// A MAC under the receipt key over `parts`.
    fn mac(&self, parts: &[&[u8]]) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.mac_key).expect("any key length");
        parts.iter().for_each(|p| mac.update(p));
        mac
    }

    /// The first `len` bytes of the MAC over `parts`, base64url.
    fn tag(&self, parts: &[&[u8]], len: usize) -> String {
        URL_SAFE_NO_PAD.encode(&self.mac(parts).finalize().into_bytes()[..len])
    }

    /// Checks a tag made by [`Cipher::tag`] in constant time.
    fn check_tag(&self, parts: &[&[u8]], len: usize, given: &str) -> bool {
        match URL_SAFE_NO_PAD.decode(given.trim()) {
            Ok(bytes) if bytes.len() == len => self.mac(parts).verify_truncated_left(&bytes).is_ok(),
            _ => false,
        }
    }

    /// A keyed hash of `value` for looking it up (a blind index: `purpose` keeps the indexes of
    /// different fields apart). Without the key, equal values cannot be told from the hash.
    pub fn blind_index(&self, purpose: &str, value: &str) -> String {
        self.tag(&[b"blind-index", purpose.as_bytes(), b"\0", value.as_bytes()], 16)
    }

    /// The reporter's receipt for a case: a secret derived from the case id, so it is never
    /// stored and can be shown again on an idempotent replay.
    pub fn receipt(&self, case_id: Uuid) -> String {
        self.tag(&[case_id.as_bytes()], 15)
    }

    /// Checks a receipt in constant time.
    pub fn check_receipt(&self, case_id: Uuid, receipt: &str) -> bool {
        self.check_tag(&[case_id.as_bytes()], 15, receipt)
    }

    /// The mark a browser keeps after signing in as `username` (the `cg_device` cookie): a
    /// client that shows it was trusted before, and is not shut out when strangers' guesses
    /// have locked the account.
    pub fn device_mark(&self, username: &str) -> String {
        self.tag(&[b"device:", username.as_bytes()], 18)
    }

    /// Checks a device mark in constant time.
    pub fn check_device_mark(&self, username: &str, mark: &str) -> bool {
        self.check_tag(&[b"device:", username.as_bytes()], 18, mark)
    }
}

/// Hashes a password with Argon2id and a random salt.
pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| StoreError::Crypto(e.to_string()))
}

/// Checks a password against its stored hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// SHA-256 of a session token, hex: what the database keeps instead of the token.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_tamper() {
        let c = Cipher::from_base64(&Cipher::generate_key()).unwrap();
        let enc = c.encrypt("13800138000");
        assert!(!enc.contains("13800138000"));
        assert_ne!(enc, c.encrypt("13800138000"), "random nonce");
        assert_eq!(c.decrypt(&enc).unwrap(), "13800138000");
        let other = Cipher::from_base64(&Cipher::generate_key()).unwrap();
        assert!(other.decrypt(&enc).is_err());
        assert!(Cipher::from_base64("c2hvcnQ=").is_err());
    }

    #[test]
    fn receipts() {
        let c = Cipher::from_bytes([7; 32]);
        let id = Uuid::now_v7();
        let r = c.receipt(id);
        assert!(c.check_receipt(id, &r));
        assert!(!c.check_receipt(Uuid::now_v7(), &r));
        assert!(!c.check_receipt(id, "AAAA"));
    }

    #[test]
    fn passwords() {
        let h = hash_password("civicgrid").unwrap();
        assert!(verify_password("civicgrid", &h));
        assert!(!verify_password("wrong", &h));
    }
}
