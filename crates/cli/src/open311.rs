//! `civicgrid open311 key …` (client keys of the Open311 interface) and
//! `civicgrid category attribute …` (the service attributes a category asks), plus the demo's
//! Open311 client and attributes.

use anyhow::{Context, Result};
use civicgrid_domain::attributes::{AttributeDef, AttributeOption, Datatype};
use civicgrid_domain::{AreaCode, CategoryCode, Channel};
use civicgrid_store::crypto::token_hash;
use civicgrid_store::{KeySelector, NewApiKey, Store};
use clap::Subcommand;
use std::sync::Arc;

/// The demo city's Open311 key.
pub const DEMO_KEY: &str = "demo-open311-key";

/// `civicgrid open311 …`.
#[derive(Subcommand)]
pub enum Open311Cmd {
    /// Manage the API keys of Open311 clients.
    Key {
        #[command(subcommand)]
        cmd: KeyCmd,
    },
}

/// `civicgrid open311 key …`.
#[derive(Subcommand)]
pub enum KeyCmd {
    /// Issue a key for a client and print it (only this once: the database keeps its hash).
    Add {
        /// The client's name, e.g. `fixmystreet`.
        #[arg(long)]
        client: String,
        /// Default area code of the client's reports (those that give no address_id); also
        /// bounds the areas it may report in.
        #[arg(long)]
        area: Option<String>,
        /// The channel its reports come in by.
        #[arg(long, default_value = "open311")]
        channel: String,
    },
    /// Revoke keys: one by --id or --key, or every key of a --client.
    Revoke {
        /// Row id, as `key list` shows.
        #[arg(long, conflicts_with_all = ["key", "client"])]
        id: Option<i64>,
        /// The key itself.
        #[arg(long, conflicts_with = "client")]
        key: Option<String>,
        /// Every live key of this client.
        #[arg(long)]
        client: Option<String>,
    },
    /// List the keys (never the keys themselves).
    List,
}

/// `civicgrid category …`.
#[derive(Subcommand)]
pub enum CategoryCmd {
    /// Manage the service attributes (Open311 service definitions) of categories.
    Attribute {
        #[command(subcommand)]
        cmd: AttributeCmd,
    },
}

/// `civicgrid category attribute …`.
#[derive(Subcommand)]
pub enum AttributeCmd {
    /// Add or replace an attribute of a category.
    Put {
        /// Category code (a subclass, e.g. `0102`).
        #[arg(long)]
        category: String,
        /// Attribute code, unique in the category (letters, digits, `_`, `-`).
        #[arg(long)]
        code: String,
        /// string, number, datetime, text, singlevaluelist or multivaluelist.
        #[arg(long)]
        datatype: String,
        /// The question shown to the reporter.
        #[arg(long)]
        description: String,
        /// A report must answer it.
        #[arg(long)]
        required: bool,
        /// Only information shown to the reporter; takes no answer.
        #[arg(long)]
        informational: bool,
        /// Position in the form, 1 first.
        #[arg(long, default_value_t = 1)]
        order: i64,
        /// Help on the expected format.
        #[arg(long)]
        datatype_description: Option<String>,
        /// An option of a list attribute as KEY=NAME; repeat for each option.
        #[arg(long = "value")]
        values: Vec<String>,
    },
    /// Delete an attribute of a category.
    Delete {
        /// Category code.
        #[arg(long)]
        category: String,
        /// Attribute code.
        #[arg(long)]
        code: String,
    },
    /// List the attributes (of one category, or of all).
    List {
        /// Category code.
        #[arg(long)]
        category: Option<String>,
    },
}

/// A new random key: 128 bits as 32 hex digits, with a prefix that says what it is.
fn new_key() -> String {
    format!("o311-{:032x}", rand::random::<u128>())
}

/// Runs `civicgrid open311 …`.
pub async fn run(cmd: Open311Cmd, store: Arc<dyn Store>) -> Result<()> {
    let Open311Cmd::Key { cmd } = cmd;
    match cmd {
        KeyCmd::Add { client, area, channel } => {
            let client = client.trim().to_string();
            anyhow::ensure!(!client.is_empty() && client.chars().count() <= 64, "client: 1 to 64 characters");
            let channel: Channel = channel.parse()?;
            let area = area.map(|a| AreaCode::parse(&a)).transpose()?;
            if let Some(a) = &area {
                anyhow::ensure!(store.area(a).await?.is_some(), "area: no area with code {a}");
            }
            let key = new_key();
            let k = store.create_api_key(&NewApiKey { key_hash: token_hash(&key), client, channel, area }, chrono::Utc::now()).await?;
            eprintln!("issued key {} for {} (channel {}); it is shown only now:", k.id, k.client, k.channel);
            println!("{key}");
            Ok(())
        }
        KeyCmd::Revoke { id, key, client } => {
            let sel = match (id, key, client) {
                (Some(id), _, _) => KeySelector::Id(id),
                (_, Some(key), _) => KeySelector::Hash(token_hash(key.trim())),
                (_, _, Some(client)) => KeySelector::Client(client),
                _ => anyhow::bail!("name the keys to revoke: --id, --key or --client"),
            };
            let n = store.revoke_api_keys(&sel, chrono::Utc::now()).await?;
            anyhow::ensure!(n > 0, "no live key matched");
            println!("revoked {n} key(s)");
            Ok(())
        }
        KeyCmd::List => {
            for k in store.api_keys().await? {
                let state = k.revoked_at.map(|t| format!("revoked {}", t.format("%F %T"))).unwrap_or_else(|| "live".into());
                let area = k.area.as_ref().map(|a| a.to_string()).unwrap_or_else(|| "-".into());
                println!("{:<5} {:<24} {:<10} {:<12} {}", k.id, k.client, k.channel, area, state);
            }
            Ok(())
        }
    }
}

fn option(raw: &str) -> Result<AttributeOption> {
    let (key, name) = raw.split_once('=').context("value: give each option as KEY=NAME")?;
    Ok(AttributeOption { key: key.trim().into(), name: name.trim().into() })
}

/// Runs `civicgrid category …`.
pub async fn run_category(cmd: CategoryCmd, store: Arc<dyn Store>) -> Result<()> {
    let CategoryCmd::Attribute { cmd } = cmd;
    match cmd {
        AttributeCmd::Put { category, code, datatype, description, required, informational, order, datatype_description, values } => {
            let category = CategoryCode::parse(&category)?;
            let datatype: Datatype = datatype.parse()?;
            let values = values.iter().map(|v| option(v)).collect::<Result<Vec<_>>>()?;
            let def = AttributeDef {
                category,
                code,
                datatype,
                required,
                variable: !informational,
                description,
                datatype_description,
                order,
                values,
            }
            .validate()?;
            anyhow::ensure!(store.categories().await?.iter().any(|c| c.code == def.category), "category: no category with code {}", def.category);
            store.put_category_attribute(&def).await?;
            println!("saved attribute {} of category {}", def.code, def.category);
            Ok(())
        }
        AttributeCmd::Delete { category, code } => {
            let category = CategoryCode::parse(&category)?;
            anyhow::ensure!(store.delete_category_attribute(&category, &code).await?, "category {category} has no attribute `{code}`");
            println!("deleted attribute {code} of category {category}");
            Ok(())
        }
        AttributeCmd::List { category } => {
            let category = category.map(|c| CategoryCode::parse(&c)).transpose()?;
            for a in store.category_attributes(category.as_ref()).await? {
                let keys: Vec<String> = a.values.iter().map(|v| format!("{}={}", v.key, v.name)).collect();
                let req = if a.required { "required" } else { "optional" };
                println!("{:<6} {:<16} {:<16} {:<9} {:>3}  {}  {}", a.category, a.code, a.datatype, req, a.order, a.description, keys.join(","));
            }
            Ok(())
        }
    }
}

/// The demo's Open311 client (key [`DEMO_KEY`], reports default to the city) and attributes on
/// two categories.
pub async fn load_demo(store: &dyn Store) -> Result<()> {
    let key = NewApiKey {
        key_hash: token_hash(DEMO_KEY),
        client: "demo-client".into(),
        channel: Channel::Open311,
        area: Some(AreaCode::parse("3710")?),
    };
    store.create_api_key(&key, chrono::Utc::now()).await?;
    let opt = |k: &str, n: &str| AttributeOption { key: k.into(), name: n.into() };
    let attrs = [
        ("0102", "amount", Datatype::Singlevaluelist, true, 1, "垃圾量 How much rubbish?", vec![opt("bag", "几袋 a few bags"), opt("pile", "一堆 a pile"), opt("truck", "一车以上 a truckload or more")]),
        ("0102", "kinds", Datatype::Multivaluelist, false, 2, "垃圾种类 What kind of rubbish?", vec![opt("household", "生活垃圾 household"), opt("bulky", "大件垃圾 bulky items"), opt("construction", "建筑垃圾 construction waste")]),
        ("0401", "size_m", Datatype::Number, true, 1, "塌陷直径（米） Diameter of the hole in metres", vec![]),
        ("0401", "blocking", Datatype::Singlevaluelist, false, 2, "是否阻断交通 Is traffic blocked?", vec![opt("yes", "是 yes"), opt("no", "否 no")]),
    ];
    for (category, code, datatype, required, order, description, values) in attrs {
        let def = AttributeDef {
            category: CategoryCode::parse(category)?,
            code: code.into(),
            datatype,
            required,
            variable: true,
            description: description.into(),
            datatype_description: None,
            order,
            values,
        }
        .validate()?;
        store.put_category_attribute(&def).await?;
    }
    Ok(())
}
