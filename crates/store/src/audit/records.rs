//! The data under the log: each entry of a change names the records it left behind and the
//! SHA-256 of each one's content, so that [`super::verify_log`] can recompute every current
//! row and name any whose content no entry accounts for (a target, a result or a role changed
//! in the database by hand).
//!
//! A record's content is canonical JSON: `["suiji-record/1", kind, key, {column: value…},
//! [child rows…]]`, with the columns in the order below, text as text, numbers as numbers,
//! times as RFC 3339 UTC with microseconds, dates as `YYYY-MM-DD` and nulls as null. The
//! values are read typed, so a record hashes the same on SQLite and PostgreSQL. Bookkeeping
//! (who created a row, when it was last touched, which import) is left out: only what the
//! record says. The hashes themselves sit in `audit_records`; the entry's change carries their
//! count and digest, so they are covered by the chain like the rest of the entry.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Condition, Expr, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DbErr, QueryResult};
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::borrow::Cow;
use suiji_domain::audit::{sha256_hex, timestamp};

/// The version tag at the head of every record's canonical JSON.
pub const RECORD_VERSION: &str = "suiji-record/1";

/// What a record's hash is when a change removed it.
pub const REMOVED: &str = "removed";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Type {
    Text,
    Int,
    Bool,
    Time,
    Date,
    /// A text column added after records of its kind were made: left out of the content while
    /// null, so that a record made before it hashes as it did.
    TextAdded,
    /// An integer column added so (see [`TextAdded`]).
    IntAdded,
    /// A timestamp column added so (see [`TextAdded`]).
    TimeAdded,
}
use Type::*;

/// How a kind's records are named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    /// A text column unique in its table (`uscc`, `cert_no`, `username`).
    Column(&'static str),
    /// Two text columns, joined with `|` (a recusal: certificate and target).
    Pair(&'static str, &'static str),
    /// The row's number.
    Id,
}

/// Rows of another table that belong to a record (a draw's entries, an inspection's team).
#[derive(Debug)]
struct Children {
    table: &'static str,
    parent: &'static str,
    columns: &'static [(&'static str, Type)],
    order: &'static [&'static str],
}

/// A kind of record the log covers.
#[derive(Debug)]
pub struct Kind {
    pub name: &'static str,
    table: &'static str,
    key: Key,
    columns: &'static [(&'static str, Type)],
    children: Option<Children>,
    /// Rows of the table that are not records of the kind (SQL, both dialects): the bureau's
    /// own row in `departments` mirrors the `bureau_name` setting and is no record of its own.
    except: Option<&'static str>,
}

pub const TARGETS: Kind = Kind {
    name: "targets",
    table: "targets",
    key: Key::Column("uscc"),
    columns: &[
        ("uscc", Text),
        ("name", Text),
        ("kind", Text),
        ("scale", Text),
        ("industry", Text),
        ("region", Text),
        ("address", Text),
        ("legal_rep", Text),
        ("employees", Int),
        ("credit_grade", Text),
        ("risk_class", Text),
        ("status", Text),
        // The department keeping its record, if any (targets before owners name none).
        ("department", TextAdded),
    ],
    children: None,
    except: None,
};

pub const INSPECTORS: Kind = Kind {
    name: "inspectors",
    table: "inspectors",
    key: Key::Column("cert_no"),
    columns: &[
        ("cert_no", Text),
        ("name", Text),
        ("gender", Text),
        ("department", Text),
        ("position", Text),
        ("cert_valid_until", Date),
        ("expertise", Text),
        ("region", Text),
        ("status", Text),
    ],
    children: None,
    except: None,
};

pub const ITEMS: Kind = Kind {
    name: "items",
    table: "items",
    key: Key::Column("code"),
    columns: &[
        ("code", Text),
        ("name", Text),
        ("category", Text),
        ("subject", Text),
        ("basis", Text),
        ("content", Text),
        ("methods", Text),
        ("min_ratio_bp", Int),
        ("status", Text),
        ("scope", TextAdded),
    ],
    children: None,
    except: None,
};

pub const RECUSALS: Kind = Kind {
    name: "recusals",
    table: "recusals",
    key: Key::Pair("cert_no", "uscc"),
    columns: &[("cert_no", Text), ("uscc", Text), ("reason", Text), ("status", Text)],
    children: None,
    except: None,
};

/// Accounts: who they are and what they may do (never the password's hash).
pub const USERS: Kind = Kind {
    name: "users",
    table: "users",
    key: Key::Column("username"),
    columns: &[
        ("username", Text),
        ("display_name", Text),
        ("role", Text),
        ("department", Text),
        ("status", Text),
        ("inspector_cert_no", Text),
    ],
    children: None,
    except: None,
};

pub const DEPARTMENTS: Kind = Kind {
    name: "departments",
    table: "departments",
    key: Key::Id,
    columns: &[("parent_id", Int), ("name", Text), ("kind", Text), ("status", Text), ("note", Text)],
    children: None,
    except: Some("kind = 'bureau'"),
};

pub const TRAININGS: Kind = Kind {
    name: "trainings",
    table: "trainings",
    key: Key::Id,
    columns: &[("cert_no", Text), ("course", Text), ("held_on", Date), ("hours", Int), ("provider", Text)],
    children: None,
    except: None,
};

pub const PLANS: Kind = Kind {
    name: "plans",
    table: "plans",
    key: Key::Id,
    columns: &[
        ("year", Int),
        ("department", Text),
        ("title", Text),
        ("description", Text),
        ("status", Text),
        ("created_by", Text),
        ("published_at", Time),
        // The 牵头科室's comment on its last approval or return (plans before had none).
        ("review_comment", TextAdded),
    ],
    // Its lines (plans before lines have none, and hash as they did).
    children: Some(Children {
        table: "plan_lines",
        parent: "plan_id",
        columns: &[
            ("position", Int),
            ("item_code", Text),
            ("expected_count", Int),
            ("expected_ratio_bp", Int),
            ("window_start", Date),
            ("window_end", Date),
            ("joint_departments", Text),
            ("note", Text),
            ("industries", TextAdded),
        ],
        order: &["position"],
    }),
    except: None,
};

/// A task: its definition, its commitment once published, and the rules it was made under.
pub const TASKS: Kind = Kind {
    name: "tasks",
    table: "tasks",
    key: Key::Id,
    columns: &[
        ("code", Text),
        ("plan_id", Int),
        ("year", Int),
        ("title", Text),
        ("kind", Text),
        ("definition", Text),
        ("status", Text),
        ("created_by", Text),
        ("published_at", Time),
        ("population_sha256", Text),
        ("population_size", Int),
        ("at_cap", Int),
        // The bureau's rules the task was published under (tasks before them have none).
        ("rules", TextAdded),
        // The plan line it carries out (tasks before plan lines name none).
        ("plan_line_id", IntAdded),
        // The department running it (tasks before owners name none).
        ("department", TextAdded),
    ],
    children: None,
    except: None,
};

/// A draw with its seed, its document and its entries (selected, reserve, replaced).
pub const DRAWS: Kind = Kind {
    name: "draws",
    table: "draws",
    key: Key::Id,
    columns: &[
        ("task_id", Int),
        ("seed", Text),
        ("seed_source", Text),
        ("contributions", Text),
        ("document", Text),
        ("status", Text),
        ("drawn_by", Text),
        ("drawn_at", Time),
        ("annul_reason", Text),
        ("annulled_by", Text),
        ("annulled_at", Time),
        ("notes", TextAdded),
        ("control", TextAdded),
    ],
    children: Some(Children {
        table: "draw_entries",
        parent: "draw_id",
        columns: &[
            ("rank", Int),
            ("uscc", Text),
            ("stratum", Text),
            ("state", Text),
            ("counts_to_cap", Bool),
        ],
        order: &["rank", "uscc"],
    }),
    except: None,
};

/// A task's teams (an assignment).
pub const TEAMS: Kind = Kind {
    name: "teams",
    table: "assignments",
    key: Key::Id,
    columns: &[
        ("task_id", Int),
        ("draw_id", Int),
        ("mode", Text),
        ("reason", Text),
        ("document", Text),
        ("inspectors_csv", Text),
        ("recusals_csv", Text),
        ("status", Text),
        ("created_by", Text),
    ],
    children: None,
    except: None,
};

/// An inspection with its form and its team's members.
pub const INSPECTIONS: Kind = Kind {
    name: "inspections",
    table: "inspections",
    key: Key::Id,
    columns: &[
        ("task_id", Int),
        ("assignment_id", Int),
        ("rank", Int),
        ("uscc", Text),
        ("target_name", Text),
        ("status", Text),
        ("form", Text),
        ("review_comment", Text),
        ("publish_by", Date),
        ("updated_by", Text),
    ],
    children: Some(Children {
        table: "inspection_members",
        parent: "inspection_id",
        columns: &[("cert_no", Text), ("name", Text), ("position", Int)],
        order: &["position", "cert_no"],
    }),
    except: None,
};

pub const MEMBER_CHANGES: Kind = Kind {
    name: "member_changes",
    table: "member_changes",
    key: Key::Id,
    columns: &[
        ("inspection_id", Int),
        ("task_id", Int),
        ("n", Int),
        ("gone_cert", Text),
        ("gone_name", Text),
        ("chosen_cert", Text),
        ("chosen_name", Text),
        ("reason", Text),
        ("document", Text),
        ("actor", Text),
        ("at", Time),
    ],
    children: None,
    except: None,
};

/// 合并检查: two tasks' visits made one, with each firm's pair of inspections as child rows.
pub const MERGES: Kind = Kind {
    name: "merges",
    table: "merges",
    key: Key::Id,
    columns: &[
        ("task_id", Int),
        ("with_task_id", Int),
        ("seed", Text),
        ("document", Text),
        ("inspectors_csv", Text),
        ("recusals_csv", Text),
        ("created_by", Text),
        ("created_at", Time),
    ],
    children: Some(Children {
        table: "joint_visits",
        parent: "merge_id",
        columns: &[("uscc", Text), ("inspection_id", Int), ("with_inspection_id", Int)],
        order: &["uscc"],
    }),
    except: None,
};

pub const PUBLICATIONS: Kind = Kind {
    name: "publications",
    table: "publications",
    key: Key::Id,
    columns: &[
        ("inspection_id", Int),
        ("version", Int),
        ("uscc", Text),
        ("target_name", Text),
        ("content", Text),
        ("status", Text),
        ("reason", Text),
        ("published_by", Text),
        ("published_at", Time),
        ("due_on", Date),
    ],
    children: None,
    except: None,
};

/// 整改: a result's order to put things right, and how it was followed up.
pub const RECTIFICATIONS: Kind = Kind {
    name: "rectifications",
    table: "rectifications",
    key: Key::Id,
    columns: &[
        ("inspection_id", Int),
        ("task_id", Int),
        ("uscc", Text),
        ("target_name", Text),
        ("ordered_on", Date),
        ("deadline", Date),
        ("extended_to", Date),
        ("extension_reason", Text),
        ("status", Text),
        ("outcome", Text),
        ("follow_up_id", Int),
        ("escalation", Text),
        ("escalation_note", Text),
    ],
    children: None,
    except: None,
};

/// A 线索 with the firms it names (what it says is covered by its hash, never shown in the log).
pub const LEADS: Kind = Kind {
    name: "leads",
    table: "leads",
    key: Key::Id,
    columns: &[
        ("source", Text),
        ("received_on", Date),
        ("reference", Text),
        ("summary", Text),
        ("department", Text),
        ("status", Text),
        ("task_id", Int),
        ("received_by", Text),
        ("received_at", Time),
        ("closed_reason", TextAdded),
        ("closed_by", TextAdded),
        ("closed_at", TimeAdded),
    ],
    children: Some(Children {
        table: "lead_targets",
        parent: "lead_id",
        columns: &[("uscc", Text), ("received_on", Date)],
        order: &["uscc"],
    }),
    except: None,
};

/// A 行政处罚 decision.
pub const PENALTIES: Kind = Kind {
    name: "penalties",
    table: "penalties",
    key: Key::Id,
    columns: &[
        ("inspection_id", Int),
        ("task_id", Int),
        ("uscc", Text),
        ("target_name", Text),
        ("procedure", Text),
        ("decision_no", Text),
        ("decided_on", Date),
        ("facts", Text),
        ("basis", Text),
        ("penalty", Text),
        ("due_on", Date),
        ("status", Text),
    ],
    children: None,
    except: None,
};

/// A version of a penalty's public notice.
pub const PENALTY_NOTICES: Kind = Kind {
    name: "penalty_notices",
    table: "penalty_notices",
    key: Key::Id,
    columns: &[
        ("penalty_id", Int),
        ("version", Int),
        ("uscc", Text),
        ("target_name", Text),
        ("content", Text),
        ("status", Text),
        ("reason", Text),
        ("published_by", Text),
        ("published_at", Time),
        ("due_on", Date),
    ],
    children: None,
    except: None,
};

/// 不予公开: a result kept off the portal, with its legal basis.
pub const WITHHOLDINGS: Kind = Kind {
    name: "withholdings",
    table: "withholdings",
    key: Key::Id,
    columns: &[("inspection_id", Int), ("basis", Text), ("decided_by", Text), ("decided_at", Time)],
    children: None,
    except: None,
};

/// 守法诚信等级评价: a year's run with each firm's proposed and final grade.
pub const CREDIT_EVALUATIONS: Kind = Kind {
    name: "credit_evaluations",
    table: "credit_evaluations",
    key: Key::Id,
    columns: &[("year", Int), ("status", Text), ("rules", Text), ("firms", Int), ("confirmed_by", Text)],
    children: Some(Children {
        table: "credit_proposals",
        parent: "evaluation_id",
        columns: &[
            ("uscc", Text),
            ("target_name", Text),
            ("previous_grade", Text),
            ("proposed_grade", Text),
            ("reasons", Text),
            ("record", Text),
            ("grade", Text),
            ("adjust_reason", Text),
        ],
        order: &["uscc"],
    }),
    except: None,
};

/// A firm's grade as decided, with its reason: the grades' history.
pub const CREDIT_GRADES: Kind = Kind {
    name: "credit_grades",
    table: "credit_grades",
    key: Key::Id,
    columns: &[
        ("uscc", Text),
        ("year", Int),
        ("grade", Text),
        ("previous_grade", Text),
        ("reason", Text),
        ("evaluation_id", Int),
        ("decided_by", Text),
        ("decided_at", Time),
    ],
    children: None,
    except: None,
};

/// An entry on a public list (serious violations, wage arrears), from proposal to removal.
pub const LIST_ENTRIES: Kind = Kind {
    name: "list_entries",
    table: "list_entries",
    key: Key::Id,
    columns: &[
        ("list", Text),
        ("penalty_id", Int),
        ("uscc", Text),
        ("target_name", Text),
        ("legal_rep", Text),
        ("address", Text),
        ("kinds", Text),
        ("facts", Text),
        ("handling", Text),
        ("decided_on", Date),
        ("status", Text),
        ("due_on", Date),
        ("notified_on", Date),
        ("statement_due", Date),
        ("statement", Text),
        ("listed_on", Date),
        ("term_end", Date),
        ("removed_on", Date),
        ("removal", Text),
        ("removal_reason", Text),
    ],
    children: None,
    except: None,
};

/// Every kind the log covers, in the order verify reports them.
pub const KINDS: [&Kind; 23] = [
    &DEPARTMENTS,
    &TRAININGS,
    &TARGETS,
    &INSPECTORS,
    &ITEMS,
    &RECUSALS,
    &USERS,
    &PLANS,
    &TASKS,
    &DRAWS,
    &TEAMS,
    &INSPECTIONS,
    &MEMBER_CHANGES,
    &MERGES,
    &PUBLICATIONS,
    &LEADS,
    &RECTIFICATIONS,
    &PENALTIES,
    &PENALTY_NOTICES,
    &WITHHOLDINGS,
    &CREDIT_EVALUATIONS,
    &CREDIT_GRADES,
    &LIST_ENTRIES,
];

/// The kind holding a directory list's records.
pub fn of_list(list: suiji_domain::directory::ListKind) -> &'static Kind {
    use suiji_domain::directory::ListKind;
    match list {
        ListKind::Targets => &TARGETS,
        ListKind::Inspectors => &INSPECTORS,
        ListKind::Items => &ITEMS,
        ListKind::Recusals => &RECUSALS,
    }
}

/// How many keys one statement names.
const CHUNK: usize = 500;

fn col(name: &str) -> Expr {
    Expr::col(Alias::new(name))
}

/// One column's value as the content JSON holds it: text (dates and times as text), a number,
/// a flag or null. Borrowed where it can be, so hashing a million records allocates little.
#[derive(Debug)]
enum Cell<'a> {
    Null,
    Text(Cow<'a, str>),
    Int(i64),
    Bool(bool),
}

impl Serialize for Cell<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::Null => s.serialize_unit(),
            Cell::Text(t) => s.serialize_str(t),
            Cell::Int(n) => s.serialize_i64(*n),
            Cell::Bool(b) => s.serialize_bool(*b),
        }
    }
}

/// A row's columns as a JSON object, in the kind's column order.
struct Object<'a> {
    columns: &'static [(&'static str, Type)],
    cells: &'a [Cell<'a>],
}

impl Serialize for Object<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        for ((name, ty), cell) in self.columns.iter().zip(self.cells) {
            if matches!(ty, TextAdded | IntAdded | TimeAdded) && matches!(cell, Cell::Null) {
                continue;
            }
            map.serialize_entry(name, cell)?;
        }
        map.end()
    }
}

/// The record's content hash: SHA-256 of `[version, kind, key, {columns}, [children]]`.
fn content_hash(kind: &str, key: &str, object: Object<'_>, children: &[Object<'_>]) -> String {
    let mut text = Vec::with_capacity(512);
    serde_json::to_writer(&mut text, &(RECORD_VERSION, kind, key, object, children))
        .expect("a record's content serialises");
    sha256_hex(text)
}

fn cell(row: &QueryResult, column: &str, ty: Type) -> Result<Cell<'static>, DbErr> {
    Ok(match ty {
        Text | TextAdded => {
            row.try_get::<Option<String>>("", column)?.map_or(Cell::Null, |t| Cell::Text(t.into()))
        }
        Int | IntAdded => row.try_get::<Option<i64>>("", column)?.map_or(Cell::Null, Cell::Int),
        Bool => row.try_get::<Option<bool>>("", column)?.map_or(Cell::Null, Cell::Bool),
        Time | TimeAdded => row
            .try_get::<Option<DateTime<Utc>>>("", column)?
            .map_or(Cell::Null, |t| Cell::Text(timestamp(t).into())),
        Date => row
            .try_get::<Option<NaiveDate>>("", column)?
            .map_or(Cell::Null, |d| Cell::Text(d.format("%F").to_string().into())),
    })
}

/// A value about to be written, as the content JSON has it once read back (see [`cell`]).
fn cell_of(v: &sea_orm::Value) -> Cell<'_> {
    use sea_orm::Value as V;
    match v {
        V::String(s) => s.as_deref().map_or(Cell::Null, |s| Cell::Text(Cow::Borrowed(s.as_str()))),
        V::BigInt(n) => n.map_or(Cell::Null, Cell::Int),
        V::Bool(b) => b.map_or(Cell::Null, Cell::Bool),
        V::ChronoDate(d) => {
            d.as_deref().map_or(Cell::Null, |d| Cell::Text(d.format("%F").to_string().into()))
        }
        V::ChronoDateTimeUtc(t) => t.as_deref().map_or(Cell::Null, |t| Cell::Text(timestamp(*t).into())),
        other => unreachable!("a record's column of an unexpected type: {other:?}"),
    }
}

impl Kind {
    /// The content hash of a record from the values about to be written for its columns (in
    /// the kind's column order, as `Stored::into_values` gives them): the same hash as reading
    /// the row back gives, without reading it. Only for kinds without children.
    pub fn hash_values(&self, key: &str, values: &[sea_orm::Value]) -> String {
        debug_assert!(self.children.is_none() && values.len() == self.columns.len());
        let cells: Vec<Cell<'_>> = values.iter().map(cell_of).collect();
        content_hash(self.name, key, Object { columns: self.columns, cells: &cells }, &[])
    }

    fn select(&self) -> SelectStatement {
        let mut q = Query::select();
        q.from(Alias::new(self.table));
        match self.key {
            Key::Column(c) => {
                q.column(Alias::new(c));
            }
            Key::Pair(a, b) => {
                q.columns([Alias::new(a), Alias::new(b)]);
            }
            Key::Id => {
                q.column(Alias::new("id"));
            }
        }
        for (c, _) in self.columns {
            q.column(Alias::new(*c));
        }
        self.records_only(&mut q);
        q
    }

    /// Leaves out the table's rows that are not records of the kind ([`Kind::except`]).
    fn records_only(&self, q: &mut SelectStatement) {
        if let Some(except) = self.except {
            q.and_where(Expr::cust(format!("NOT ({except})")));
        }
    }

    fn key_of(&self, row: &QueryResult) -> Result<String, DbErr> {
        Ok(match self.key {
            Key::Column(c) => row.try_get("", c)?,
            Key::Pair(a, b) => format!("{}|{}", row.try_get::<String>("", a)?, row.try_get::<String>("", b)?),
            Key::Id => row.try_get::<i64>("", "id")?.to_string(),
        })
    }

    /// The condition naming `keys` (keys that cannot be this kind's are left out).
    fn named(&self, keys: &[String]) -> Condition {
        match self.key {
            Key::Column(c) => Condition::all().add(col(c).is_in(keys.iter().cloned())),
            Key::Id => {
                Condition::all().add(col("id").is_in(keys.iter().filter_map(|k| k.parse::<i64>().ok())))
            }
            Key::Pair(a, b) => {
                keys.iter().filter_map(|k| k.split_once('|')).fold(Condition::any(), |any, (x, y)| {
                    any.add(Condition::all().add(col(a).eq(x)).add(col(b).eq(y)))
                })
            }
        }
    }

    /// The content hashes of the rows `rows` (in their order), their children read in one query.
    async fn hashes(
        &self,
        db: &impl ConnectionTrait,
        rows: &[QueryResult],
    ) -> Result<Vec<(String, String)>, DbErr> {
        let mut children: std::collections::HashMap<i64, Vec<Vec<Cell<'static>>>> =
            std::collections::HashMap::new();
        if let Some(c) = &self.children
            && !rows.is_empty()
        {
            let ids: Vec<i64> = rows.iter().map(|r| r.try_get::<i64>("", "id")).collect::<Result<_, _>>()?;
            let mut q = Query::select();
            q.from(Alias::new(c.table)).column(Alias::new(c.parent));
            for (name, _) in c.columns {
                q.column(Alias::new(*name));
            }
            q.and_where(col(c.parent).is_in(ids)).order_by(Alias::new(c.parent), Order::Asc);
            for o in c.order {
                q.order_by(Alias::new(*o), Order::Asc);
            }
            for row in db.query_all(db.get_database_backend().build(&q)).await? {
                let cells =
                    c.columns.iter().map(|(name, ty)| cell(&row, name, *ty)).collect::<Result<_, _>>()?;
                children.entry(row.try_get("", c.parent)?).or_default().push(cells);
            }
        }
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let key = self.key_of(row)?;
            let cells: Vec<Cell<'static>> =
                self.columns.iter().map(|(name, ty)| cell(row, name, *ty)).collect::<Result<_, _>>()?;
            let sha = match &self.children {
                Some(c) => {
                    let rows = children.remove(&row.try_get::<i64>("", "id")?).unwrap_or_default();
                    let objects: Vec<Object<'_>> =
                        rows.iter().map(|cells| Object { columns: c.columns, cells }).collect();
                    content_hash(self.name, &key, Object { columns: self.columns, cells: &cells }, &objects)
                }
                None => content_hash(self.name, &key, Object { columns: self.columns, cells: &cells }, &[]),
            };
            out.push((key, sha));
        }
        Ok(out)
    }

    /// The content hash of each of `keys` as `db` holds them now; [`REMOVED`] for a key with no
    /// row. In the order of `keys`, duplicates dropped.
    pub async fn current(
        &self,
        db: &impl ConnectionTrait,
        keys: &[String],
    ) -> Result<Vec<(String, String)>, DbErr> {
        let mut found = std::collections::HashMap::with_capacity(keys.len());
        for chunk in keys.chunks(CHUNK) {
            // A pair's key without its `|` names no row (and an empty `OR` would name them all).
            if self.key_is_pair() && !chunk.iter().any(|k| k.contains('|')) {
                continue;
            }
            let mut q = self.select();
            q.cond_where(self.named(chunk));
            let rows = db.query_all(db.get_database_backend().build(&q)).await?;
            found.extend(self.hashes(db, &rows).await?);
        }
        let mut seen = std::collections::HashSet::with_capacity(keys.len());
        Ok(keys
            .iter()
            .filter(|k| seen.insert(k.as_str()))
            .map(|k| (k.clone(), found.remove(k).unwrap_or_else(|| REMOVED.to_owned())))
            .collect())
    }

    /// Every row's content hash, a page at a time, in key order: `after` is the last key of the
    /// page before (None for the first page).
    pub async fn page(
        &self,
        db: &impl ConnectionTrait,
        after: Option<&str>,
        limit: u64,
    ) -> Result<Vec<(String, String)>, DbErr> {
        let mut q = self.select();
        match (self.key, after) {
            (Key::Column(c), Some(a)) => {
                q.and_where(col(c).gt(a));
            }
            (Key::Id, Some(a)) => {
                q.and_where(col("id").gt(a.parse::<i64>().unwrap_or(i64::MAX)));
            }
            (Key::Pair(x, y), Some(a)) => {
                let (p, r) = a.split_once('|').unwrap_or((a, ""));
                q.cond_where(
                    Condition::any()
                        .add(col(x).gt(p))
                        .add(Condition::all().add(col(x).eq(p)).add(col(y).gt(r))),
                );
            }
            (_, None) => {}
        }
        match self.key {
            Key::Column(c) => {
                q.order_by(Alias::new(c), Order::Asc);
            }
            Key::Pair(x, y) => {
                q.order_by(Alias::new(x), Order::Asc).order_by(Alias::new(y), Order::Asc);
            }
            Key::Id => {
                q.order_by(Alias::new("id"), Order::Asc);
            }
        }
        q.limit(limit);
        let rows = db.query_all(db.get_database_backend().build(&q)).await?;
        self.hashes(db, &rows).await
    }

    fn key_is_pair(&self) -> bool {
        matches!(self.key, Key::Pair(..))
    }

    /// Whether the table has any row.
    pub(super) async fn any(&self, db: &impl ConnectionTrait) -> Result<bool, DbErr> {
        let mut q = Query::select();
        q.from(Alias::new(self.table)).expr(Expr::val(1)).limit(1);
        self.records_only(&mut q);
        Ok(db.query_one(db.get_database_backend().build(&q)).await?.is_some())
    }
}

/// The records one change touched: a kind and the keys of its records.
#[derive(Debug, Clone)]
pub struct Touched {
    pub kind: &'static Kind,
    pub keys: Vec<String>,
}

impl Touched {
    pub fn new(kind: &'static Kind, keys: impl IntoIterator<Item = impl ToString>) -> Touched {
        Touched { kind, keys: keys.into_iter().map(|k| k.to_string()).collect() }
    }

    pub fn one(kind: &'static Kind, key: impl ToString) -> Touched {
        Touched { kind, keys: vec![key.to_string()] }
    }
}

/// One stored record hash: (kind, key, sha256).
pub type RecordHash = (String, String, String);

/// The lines an entry stores for its records: `kind<TAB>key<TAB>sha256` each, sorted
/// (bytewise, so both databases agree). Their SHA-256 is the digest the entry's change carries.
pub fn lines(records: &mut [RecordHash]) -> String {
    records.sort();
    let mut text = String::with_capacity(records.len() * 100);
    for (kind, key, sha) in records.iter() {
        text.push_str(kind);
        text.push('\t');
        text.push_str(key);
        text.push('\t');
        text.push_str(sha);
        text.push('\n');
    }
    text
}

/// Reads the content hashes of what `touched` names, as `db` holds them now (inside the
/// change's transaction, after its writes).
pub async fn collect(db: &impl ConnectionTrait, touched: &[Touched]) -> Result<Vec<RecordHash>, DbErr> {
    let mut out = Vec::new();
    for t in touched {
        for (key, sha) in t.kind.current(db, &t.keys).await? {
            out.push((t.kind.name.to_owned(), key, sha));
        }
    }
    Ok(out)
}

/// The most text one stored part holds: an import of a million records is a few parts, not a
/// million rows.
const PART_BYTES: usize = 4 << 20;

/// Stores an entry's record lines, in parts cut at line ends.
pub async fn store(db: &impl ConnectionTrait, seq: i64, mut text: &str) -> Result<(), DbErr> {
    let mut part = 0i64;
    while !text.is_empty() {
        let cut = if text.len() <= PART_BYTES {
            text.len()
        } else {
            text[..PART_BYTES].rfind('\n').map_or(text.len(), |i| i + 1)
        };
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new("audit_records"))
            .columns(["seq", "part", "lines"].map(Alias::new))
            .values_panic([seq.into(), part.into(), text[..cut].to_owned().into()]);
        db.execute(db.get_database_backend().build(&insert)).await?;
        text = &text[cut..];
        part += 1;
    }
    Ok(())
}

/// The stored record lines of entries `from..=to`, each entry's parts joined: (seq, lines).
pub async fn stored(db: &impl ConnectionTrait, from: i64, to: i64) -> Result<Vec<(i64, String)>, DbErr> {
    let mut q = Query::select();
    q.from(Alias::new("audit_records"))
        .columns(["seq", "lines"].map(Alias::new))
        .and_where(col("seq").gte(from))
        .and_where(col("seq").lte(to))
        .order_by(Alias::new("seq"), Order::Asc)
        .order_by(Alias::new("part"), Order::Asc);
    let mut out: Vec<(i64, String)> = Vec::new();
    for row in db.query_all(db.get_database_backend().build(&q)).await? {
        let seq: i64 = row.try_get("", "seq")?;
        let lines: String = row.try_get("", "lines")?;
        match out.last_mut() {
            Some((last, text)) if *last == seq => text.push_str(&lines),
            _ => out.push((seq, lines)),
        }
    }
    Ok(out)
}

/// A stored line read back: (kind, key, sha256), or None for a line that is not three fields.
pub fn parse_line(line: &str) -> Option<(&str, &str, &str)> {
    let mut fields = line.splitn(3, '\t');
    Some((fields.next()?, fields.next()?, fields.next()?))
}
