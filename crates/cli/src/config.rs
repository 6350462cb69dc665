//! Layered configuration: defaults, then a TOML file, then `CIVICGRID_*` environment
//! variables, then command-line flags.

use anyhow::{Context, Result};
use civicgrid_server::ServerConfig;
use civicgrid_store::SqliteDurability;
use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Everything `serve` needs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Config {
    /// `sqlite://PATH` or `postgres://…`.
    pub database: String,
    /// Address to listen on.
    pub listen: String,
    /// Base64 32-byte key that encrypts personal data. Required: here, in `CIVICGRID_DATA_KEY`,
    /// or in the file `data_key_file` names.
    pub data_key: Option<String>,
    /// A file holding the data key (mode 0600), e.g. outside the data folder on another volume.
    pub data_key_file: Option<PathBuf>,
    /// `full` or `normal` (SQLite only).
    pub sqlite_durability: String,
    /// Session length, hours.
    pub session_hours: i64,
    /// Failed logins in a row from one client that lock the account for that client.
    pub max_login_failures: i64,
    /// Failed logins in a row from all clients that lock the account for clients that never
    /// signed in as it.
    pub max_account_failures: i64,
    /// Lockout length, minutes.
    pub lockout_minutes: i64,
    /// Send cookies with `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// Log filter, e.g. `info,civicgrid=debug`.
    pub log: String,
    /// The data folder (uploaded photos); default: the SQLite database's folder, else `./data`.
    pub data_dir: Option<PathBuf>,
    /// A time-limit table (`category,priority,step,amount,unit` CSV) replacing the shipped one.
    pub time_limits: Option<PathBuf>,
    /// The share of a step's time after which it is warned (预警, yellow card): above 0, below 1.
    pub warn_at: f64,
    /// Supervision and escalation rules (`[rules]`).
    #[serde(default)]
    pub rules: civicgrid_domain::Rules,
    /// Outside channels for notices (`[notify]`: `log`, `[[notify.webhooks]]` with `name`, `url`).
    #[serde(default)]
    pub notify: civicgrid_server::jobs::NotifyConfig,
    /// Evaluation (`[evaluation]`: `min_cases`, default 5; `[evaluation.weights]`: `response`,
    /// `on_time`, `resolution`, `satisfaction`, `reopen`, `return`, `accuracy`, `suspension`,
    /// `first_fix`, `participation`, scaled to sum to 1; `[evaluation.counting]`:
    /// `follow_up_days`, `default_satisfied_days`, `town`, `community`).
    #[serde(default)]
    pub evaluation: EvaluationConfig,
    /// Reports, photos and ratings one client may send per minute without an account (429 past
    /// it); 0 for no limit.
    pub anonymous_writes_per_minute: u32,
    /// The header a trusted reverse proxy sets to the client's address (e.g. `x-forwarded-for`).
    pub client_ip_header: Option<String>,
    /// Days the access log of reads is kept; at least 183 (six months, MLPS level 3).
    pub access_log_days: i64,
    /// The password policy (`[password_policy]`: `min_length`, default 8; `min_classes`, default
    /// 3). Not `password`: `CIVICGRID_PASSWORD` is the password `user add` reads.
    #[serde(default)]
    pub password_policy: civicgrid_domain::PasswordPolicy,
    /// The basemap (`[map]`: `basemap` = none, tianditu, xyz, wmts or pmtiles; `tianditu_key`,
    /// `url`, `pmtiles`, `attribution`, `max_zoom`).
    #[serde(default)]
    pub map: civicgrid_server::geo::MapConfig,
}

/// `[evaluation]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluationConfig {
    /// The score's weights.
    #[serde(default)]
    pub weights: civicgrid_domain::evaluation::Weights,
    /// Cases a rate must be counted on before it counts as the unit's own in its score; a unit
    /// with no weighted rate on this many cases is listed but not ranked (样本不足). At least 1.
    #[serde(default = "default_min_cases")]
    pub min_cases: u64,
    /// How cases are counted: the follow-up window (回访期), the default rating, and whether
    /// towns and communities count the cases lying in them or those they were responsible for.
    #[serde(default)]
    pub counting: civicgrid_domain::evaluation::CountRules,
}

fn default_min_cases() -> u64 {
    civicgrid_domain::evaluation::RankRules::default().min_cases
}

impl Default for EvaluationConfig {
    fn default() -> Self {
        EvaluationConfig { weights: Default::default(), min_cases: default_min_cases(), counting: Default::default() }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database: "sqlite://civicgrid.db".into(),
            listen: "127.0.0.1:8080".into(),
            data_key: None,
            data_key_file: None,
            sqlite_durability: "full".into(),
            session_hours: 12,
            max_login_failures: 5,
            max_account_failures: 20,
            lockout_minutes: 15,
            secure_cookies: false,
            log: "info".into(),
            data_dir: None,
            time_limits: None,
            warn_at: 0.8,
            rules: civicgrid_domain::Rules::default(),
            notify: civicgrid_server::jobs::NotifyConfig::default(),
            evaluation: EvaluationConfig::default(),
            password_policy: civicgrid_domain::PasswordPolicy::default(),
            anonymous_writes_per_minute: 60,
            client_ip_header: None,
            access_log_days: 400,
            map: civicgrid_server::geo::MapConfig::default(),
        }
    }
}

impl Config {
    /// Loads defaults ← file (if given or `civicgrid.toml` exists) ← environment.
    pub fn load(file: Option<&Path>) -> Result<Config> {
        let mut fig = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(f) => {
                anyhow::ensure!(f.exists(), "config file {} does not exist", f.display());
                fig = fig.merge(Toml::file(f));
            }
            None if Path::new("civicgrid.toml").exists() => fig = fig.merge(Toml::file("civicgrid.toml")),
            None => {}
        }
        let mut cfg: Config = fig.merge(Env::prefixed("CIVICGRID_")).extract().context("reading configuration")?;
        let file = file.map(Path::to_path_buf).or_else(|| Some(PathBuf::from("civicgrid.toml")).filter(|p| p.exists()));
        let holds_key = |t: String| t.lines().any(|l| l.trim_start().strip_prefix("data_key").is_some_and(|r| r.trim_start().starts_with('=')));
        if let Some(f) = file.filter(|f| std::fs::read_to_string(f).is_ok_and(holds_key)) {
            private(&f).context("the configuration file holds the data key")?;
        }
        if let Some(f) = &cfg.data_key_file {
            private(f).context("data_key_file")?;
            let key = std::fs::read_to_string(f).with_context(|| format!("reading data_key_file {}", f.display()))?;
            cfg.data_key = Some(key.trim().to_string());
        }
        Ok(cfg)
    }

    /// Writes a configuration file readable by its owner only (it may hold the data key).
    pub fn write_private(path: &Path, text: &str) -> Result<()> {
        std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
        }
        Ok(())
    }

    /// The SQLite durability setting.
    pub fn durability(&self) -> Result<SqliteDurability> {
        match self.sqlite_durability.as_str() {
            "full" => Ok(SqliteDurability::Full),
            "normal" => Ok(SqliteDurability::Normal),
            other => anyhow::bail!("sqlite_durability: `{other}` is not `full` or `normal`"),
        }
    }

    /// The data folder: as configured, else the folder of the SQLite database (photos stay
    /// beside the cases they belong to), else `./data`.
    pub fn data_dir(&self) -> PathBuf {
        if let Some(d) = &self.data_dir {
            return d.clone();
        }
        let file = self.database.strip_prefix("sqlite://").or_else(|| self.database.strip_prefix("sqlite:"));
        match file.map(|f| f.split('?').next().unwrap_or_default()) {
            Some(f) if !f.is_empty() && !f.starts_with(':') => match Path::new(f).parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            },
            _ => PathBuf::from("./data"),
        }
    }

    /// The HTTP layer's settings; refused if the evaluation weights are not usable.
    pub fn server(&self) -> Result<ServerConfig> {
        let weights = self.evaluation.weights.normalized("evaluation.weights")?;
        anyhow::ensure!(self.evaluation.min_cases >= 1, "evaluation.min_cases: at least 1, got 0");
        let count_rules = self.evaluation.counting.validate("evaluation.counting")?;
        anyhow::ensure!(self.access_log_days >= 183, "access_log_days: at least 183 (reads are kept six months), got {}", self.access_log_days);
        Ok(ServerConfig {
            data_dir: Some(self.data_dir()),
            session_hours: self.session_hours,
            max_login_failures: self.max_login_failures,
            max_account_failures: self.max_account_failures,
            lockout_minutes: self.lockout_minutes,
            secure_cookies: self.secure_cookies,
            notify: self.notify.clone(),
            weights,
            rank_rules: civicgrid_domain::evaluation::RankRules { min_cases: self.evaluation.min_cases },
            count_rules,
            password: self.password_policy,
            anonymous_writes_per_minute: self.anonymous_writes_per_minute,
            client_ip_header: self.client_ip_header.clone(),
            access_log_days: self.access_log_days,
            basemap: self.map.resolve().map_err(anyhow::Error::msg)?,
            ..ServerConfig::default()
        })
    }

    /// The case policy: the shipped calendar (files an admin loaded are added when serving), the
    /// configured time-limit table or the shipped one, and the configured rules.
    pub fn policy(&self) -> Result<civicgrid_domain::CasePolicy> {
        let mut limits = match &self.time_limits {
            None => civicgrid_domain::timelimit::TimeLimits::shipped(),
            Some(f) => {
                let text = std::fs::read_to_string(f).with_context(|| format!("reading time limits {}", f.display()))?;
                civicgrid_domain::timelimit::TimeLimits::from_csv(&text).with_context(|| format!("time limits {}", f.display()))?
            }
        };
        anyhow::ensure!(
            self.warn_at > 0.0 && self.warn_at < 1.0,
            "warn_at: {} is not a share of the time between 0 and 1 (e.g. 0.8 warns at 80 %)",
            self.warn_at
        );
        limits.warn_at = self.warn_at;
        Ok(civicgrid_domain::CasePolicy { limits, rules: self.rules.clone(), ..civicgrid_domain::CasePolicy::shipped() })
    }
}

/// Refuses a key file others may read: the key decrypts every phone number and signs the logs.
fn private(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?.permissions().mode();
        anyhow::ensure!(
            mode & 0o077 == 0,
            "{} is readable by other users (mode {:o}); it holds the data key: chmod 600 {}",
            path.display(),
            mode & 0o777,
            path.display()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Config;
    use std::path::PathBuf;

    #[test]
    fn the_data_folder_defaults_to_the_database_folder() {
        let with = |db: &str| Config { database: db.into(), ..Config::default() }.data_dir();
        assert_eq!(with("sqlite:///var/lib/civicgrid/civicgrid.db"), PathBuf::from("/var/lib/civicgrid"));
        assert_eq!(with("sqlite://run/cg.db?mode=rwc"), PathBuf::from("run"));
        assert_eq!(with("sqlite://civicgrid.db"), PathBuf::from("."));
        assert_eq!(with("sqlite::memory:"), PathBuf::from("./data"));
        assert_eq!(with("postgres://cg@db/cg"), PathBuf::from("./data"));
        let set = Config { data_dir: Some("/srv/photos".into()), ..Config::default() };
        assert_eq!(set.data_dir(), PathBuf::from("/srv/photos"));
    }

    #[test]
    fn the_warning_share_and_the_score_weights_are_checked_at_start() {
        let at = |w: f64| Config { warn_at: w, ..Config::default() }.policy();
        assert_eq!(at(0.75).unwrap().limits.warn_at, 0.75);
        for bad in [0.0, 1.0, 1.5, f64::NAN] {
            let e = at(bad).unwrap_err().to_string();
            assert!(e.starts_with("warn_at:"), "{bad}: {e}");
        }
        let mut c = Config::default();
        c.evaluation.weights.on_time = -1.0;
        let e = c.server().unwrap_err().to_string();
        assert!(e.contains("evaluation.weights") && e.contains("on_time"), "{e}");
        c.evaluation.weights.on_time = 3.0;
        let w = c.server().unwrap().weights;
        assert!((w.on_time - 3.0 / 3.7).abs() < 1e-9, "scaled to sum to 1: {w:?}");
    }
}
