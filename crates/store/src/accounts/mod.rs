//! Staff accounts: passwords (Argon2id), signing in with throttling, browser sessions, and
//! bearer tokens for API clients. Sessions and the throttle's counters live in the database,
//! so several `suiji serve` processes on one PostgreSQL share them. Every change and every
//! successful sign-in goes to the audit log; failures are counted in place ([`throttle`]).
//! User names are compared without regard to case: they are kept in lower case.

pub mod throttle;

use crate::audit::records::{self, Touched};
use crate::audit::{self, Actor};
use crate::entity::{api_token, login_throttle, session, user};
use crate::{Store, StoreError};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use suiji_domain::access::Role;
use suiji_domain::audit::sha256_hex;
use suiji_domain::text::Shape;

/// How long a session lasts after signing in.
pub const SESSION_HOURS: i64 = 12;
pub use throttle::{MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS};
/// The longest user name (in characters).
pub const MAX_USERNAME_CHARS: usize = 64;
/// The longest password looked at (bytes): Argon2 hashes any length, but nobody needs more,
/// and a sign-in must not be a way to make the server hash megabytes.
pub const MAX_PASSWORD_BYTES: usize = 1024;
/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// An account as the rest of suiji sees it (never its password hash).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub department: Option<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    /// An inspector's 执法证号: which inspections are theirs.
    pub inspector_cert_no: Option<String>,
}

impl User {
    /// The department its changes are confined to, for a role so confined
    /// (`suiji_domain::access::confined_to_department`); `None`: the whole bureau. An account
    /// so confined without a department reaches none.
    pub fn own_department(&self) -> Option<&str> {
        suiji_domain::access::confined_to_department(self.role)
            .then(|| self.department.as_deref().unwrap_or(""))
    }

    /// The account as a reader of inspections' findings (`crate::workflow::Reader`).
    pub fn reader(&self) -> crate::workflow::Reader<'_> {
        crate::workflow::Reader {
            role: self.role,
            cert_no: self.inspector_cert_no.as_deref(),
            department: self.department.as_deref(),
        }
    }

    pub fn actor(&self) -> Actor {
        Actor::user(&self.username, self.role)
    }
}

/// What adding an account needs.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub department: Option<String>,
    pub password: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error(
        "用户名只能包含字母、数字、点、横线和下划线，长 2 到 64 个字符 / a user name is 2 to 64 letters, digits, '.', '-' or '_'"
    )]
    BadUsername,
    #[error("{field}: {zh} / {en}")]
    BadText { field: &'static str, zh: String, en: String },
    #[error("密码至少 {MIN_PASSWORD_CHARS} 个字符 / a password has at least {MIN_PASSWORD_CHARS} characters")]
    WeakPassword,
    #[error("用户名 {0} 已存在 / the user name {0} is taken")]
    Taken(String),
    #[error("没有用户 {0} / no account {0}")]
    NoSuchUser(String),
    #[error("用户名或密码错误 / wrong user name or password")]
    WrongPassword,
    #[error("尝试次数过多，请 {seconds} 秒后再试 / too many failed attempts; try again in {seconds} s")]
    Throttled { seconds: i64 },
    #[error(
        "不能停用自己的账户或取消自己的管理员角色 / an administrator cannot disable or demote their own account"
    )]
    OwnAccount,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for AccountError {
    fn from(e: sea_orm::DbErr) -> Self {
        AccountError::Store(StoreError::Db(e))
    }
}

/// A user name as kept and compared: trimmed, in lower case (`ADMIN` is `admin`).
pub fn fold(name: &str) -> String {
    name.trim().to_ascii_lowercase()
}

fn check_username(name: &str) -> Result<(), AccountError> {
    let ok = (2..=MAX_USERNAME_CHARS).contains(&name.chars().count())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok { Ok(()) } else { Err(AccountError::BadUsername) }
}

fn check_password(password: &str) -> Result<(), AccountError> {
    if password.chars().count() < MIN_PASSWORD_CHARS || password.len() > MAX_PASSWORD_BYTES {
        Err(AccountError::WeakPassword)
    } else {
        Ok(())
    }
}

/// A text field within its shape's limit (see `suiji_domain::text::Shape`).
fn check_text(field: &'static str, value: &str, shape: Shape) -> Result<(), AccountError> {
    match shape.problem(value) {
        Some((zh, en)) => Err(AccountError::BadText { field, zh, en }),
        None => Ok(()),
    }
}

/// The account of a user name already folded.
async fn find_user(db: &impl ConnectionTrait, folded: &str) -> Result<Option<user::Model>, sea_orm::DbErr> {
    user::Entity::find().filter(user::Column::Username.eq(folded)).one(db).await
}

fn hash_password(password: &str) -> String {
    Argon2::default().hash_password(password.as_bytes()).expect("Argon2id hashes any password").to_string()
}

fn password_matches(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A random token: 32 bytes from the operating system, as hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system gives random bytes");
    hex::encode(bytes)
}

fn to_user(m: user::Model) -> User {
    User {
        id: m.id,
        // A role the code does not know (a database edited by hand) is read as the least
        // powerful one.
        role: Role::from_name(&m.role).unwrap_or(Role::Supervisor),
        username: m.username,
        display_name: m.display_name,
        department: m.department,
        active: m.status == "active",
        created_at: m.created_at,
        inspector_cert_no: m.inspector_cert_no,
    }
}

/// Adds an account.
pub async fn add_user(store: &Store, new: &NewUser, actor: &Actor) -> Result<User, AccountError> {
    let username = fold(&new.username);
    check_username(&username)?;
    check_password(&new.password)?;
    check_text("display_name", &new.display_name, Shape::Name)?;
    check_text("department", new.department.as_deref().unwrap_or(""), Shape::Name)?;
    let password_hash = hash_password(&new.password);
    let txn = audit::begin(store).await?;
    if find_user(&txn, &username).await?.is_some() {
        return Err(AccountError::Taken(username));
    }
    check_department(&txn, new.department.as_deref()).await?;
    let now = crate::clock::now();
    let model = user::ActiveModel {
        username: Set(username),
        display_name: Set(new.display_name.clone()),
        role: Set(new.role.name().to_owned()),
        department: Set(new.department.clone()),
        password_hash: Set(password_hash),
        status: Set("active".into()),
        created_at: Set(now),
        password_changed_at: Set(now),
        inspector_cert_no: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let change = json!({
        "username": model.username,
        "display_name": model.display_name,
        "role": model.role,
        "department": model.department,
    });
    let touched = [Touched::one(&records::USERS, &model.username)];
    audit::append_touching(&txn, actor, "user.add", &format!("users/{}", model.username), change, &touched)
        .await?;
    txn.commit().await?;
    Ok(to_user(model))
}

/// Every account, by user name.
pub async fn users(store: &Store) -> Result<Vec<User>, StoreError> {
    let rows = user::Entity::find().order_by_asc(user::Column::Username).all(store.connection()).await?;
    Ok(rows.into_iter().map(to_user).collect())
}

pub async fn user_count(store: &Store) -> Result<u64, StoreError> {
    Ok(user::Entity::find().count(store.connection()).await?)
}

/// A new browser session: the token goes in the cookie, the CSRF token in every form.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

/// Checks a user name and password from `address`.
///
/// A name that cannot be an account's (too long, other characters) is refused before any
/// work. Otherwise the try is reserved against the account's and the address's counters first
/// (see [`throttle`]), and refused without checking the password while either is locked. An
/// unknown name, a disabled account and a wrong password take the same Argon2 work, so the
/// answer's timing does not tell which it was. A success is an audit entry; failures are
/// counted in place, and an entry is made only when a counter reaches its limit
/// (`login.locked`), so a flood of failures costs the database a bounded number of rows.
pub async fn sign_in(
    store: &Store,
    username: &str,
    password: &str,
    address: &str,
) -> Result<User, AccountError> {
    if username.len() > 4 * MAX_USERNAME_CHARS {
        return Err(AccountError::BadUsername);
    }
    let username = fold(username);
    check_username(&username)?;
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(AccountError::WrongPassword);
    }
    let now = crate::clock::now();
    let txn = audit::begin(store).await?;
    let found = find_user(&txn, &username).await?;
    let mut counters = vec![throttle::Counter::address(address)];
    if let Some(u) = &found {
        counters.insert(0, throttle::Counter::account(u.id));
    }
    let reserved = match throttle::reserve(&txn, &counters, now).await? {
        Ok(reserved) => reserved,
        Err(until) => {
            txn.commit().await?;
            return Err(AccountError::Throttled { seconds: (until - now).num_seconds().max(1) });
        }
    };
    txn.commit().await?;
    // The same work whatever the account: a disabled or unknown one is checked against a
    // fixed hash, so it takes as long as a wrong password.
    let hash = match &found {
        Some(u) if u.status == "active" => u.password_hash.as_str(),
        _ => dummy_hash(),
    };
    let matches = password_matches(password, hash);
    let found = found.filter(|u| matches && u.status == "active");
    match found {
        Some(u) => {
            let txn = audit::begin(store).await?;
            throttle::settle_success(&txn, &reserved).await?;
            let actor = Actor::user(&u.username, Role::from_name(&u.role).unwrap_or(Role::Supervisor));
            let object = format!("users/{}", u.username);
            audit::append(&txn, &actor, "login", &object, json!({ "address": address })).await?;
            txn.commit().await?;
            Ok(to_user(u))
        }
        None => {
            // Each counter's limit is reached once per lock-out: one entry, not one per try.
            // A failure short of it writes nothing more (the reservation already counted it).
            let reached: Vec<_> = reserved.counts.iter().filter(|(c, n)| *n == c.limit).collect();
            if reached.is_empty() {
                return Err(AccountError::WrongPassword);
            }
            let txn = audit::begin(store).await?;
            for (counter, failures) in reached {
                let (actor, object) = match counter.key.strip_prefix("account:") {
                    Some(_) => (Actor::anonymous(&username), format!("users/{username}")),
                    None => (
                        Actor::anonymous("unknown"),
                        format!("addresses/{}", throttle::address_bucket(address)),
                    ),
                };
                let change = json!({ "address": address, "failures": failures });
                audit::append(&txn, &actor, "login.locked", &object, change).await?;
            }
            txn.commit().await?;
            Err(AccountError::WrongPassword)
        }
    }
}

/// Lifts the sign-in lock of an account (failed tries forgotten). Audited even when there was
/// no lock, so the log shows who tried.
pub async fn unlock(store: &Store, username: &str, actor: &Actor) -> Result<bool, AccountError> {
    let username = fold(username);
    let txn = audit::begin(store).await?;
    let found =
        find_user(&txn, &username).await?.ok_or_else(|| AccountError::NoSuchUser(username.clone()))?;
    let was_locked = throttle::clear(&txn, throttle::account_key(found.id)).await?;
    let change = json!({ "had_failures": was_locked });
    audit::append(&txn, actor, "user.unlock", &format!("users/{username}"), change).await?;
    txn.commit().await?;
    Ok(was_locked)
}

/// Accounts locked now, by account id: until when.
pub async fn locked_accounts(
    store: &Store,
) -> Result<std::collections::HashMap<i64, DateTime<Utc>>, StoreError> {
    let rows = login_throttle::Entity::find()
        .filter(login_throttle::Column::Key.starts_with("account:"))
        .filter(login_throttle::Column::LockedUntil.gt(crate::clock::now()))
        .all(store.connection())
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some((r.key.strip_prefix("account:")?.parse().ok()?, r.locked_until?)))
        .collect())
}

/// The hash an unknown or disabled account is checked against, made once per process.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("not anyone's password"))
}

/// Opens a session for a signed-in account.
pub async fn open_session(store: &Store, user: &User, address: &str) -> Result<NewSession, StoreError> {
    let token = random_token();
    let now = crate::clock::now();
    let new =
        NewSession { token, csrf_token: random_token(), expires_at: now + Duration::hours(SESSION_HOURS) };
    session::ActiveModel {
        token_sha256: Set(sha256_hex(&new.token)),
        user_id: Set(user.id),
        csrf_token: Set(new.csrf_token.clone()),
        address: Set(address.to_owned()),
        created_at: Set(now),
        expires_at: Set(new.expires_at),
    }
    .insert(store.connection())
    .await?;
    Ok(new)
}

/// A live session: its account and its CSRF token.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    pub token_sha256: String,
}

/// The session a cookie's token opens, if it is live and its account active.
pub async fn session(store: &Store, token: &str) -> Result<Option<Session>, StoreError> {
    let db = store.connection();
    let hash = sha256_hex(token);
    let Some(s) = session::Entity::find_by_id(hash.clone()).one(db).await? else { return Ok(None) };
    if s.expires_at <= crate::clock::now() {
        return Ok(None);
    }
    let Some(u) = user::Entity::find_by_id(s.user_id).one(db).await? else { return Ok(None) };
    let user = to_user(u);
    Ok(user.active.then_some(Session { user, csrf_token: s.csrf_token, token_sha256: hash }))
}

/// Ends a session (signing out).
pub async fn close_session(store: &Store, session: &Session) -> Result<(), StoreError> {
    let txn = audit::begin(store).await?;
    session::Entity::delete_by_id(session.token_sha256.clone()).exec(&txn).await?;
    let object = format!("users/{}", session.user.username);
    audit::append(&txn, &session.user.actor(), "logout", &object, json!({})).await?;
    txn.commit().await?;
    Ok(())
}

/// Changes an account's own password, given the current one. Other sessions of the account end.
pub async fn change_password(
    store: &Store,
    user: &User,
    current: &str,
    new: &str,
) -> Result<(), AccountError> {
    let db = store.connection();
    let Some(found) = user::Entity::find_by_id(user.id).one(db).await? else {
        return Err(AccountError::NoSuchUser(user.username.clone()));
    };
    if !password_matches(current, &found.password_hash) {
        return Err(AccountError::WrongPassword);
    }
    check_password(new)?;
    set_password(store, found, new, &user.actor()).await
}

/// Sets an account's password (an administrator resetting it, or the command line).
pub async fn reset_password(
    store: &Store,
    username: &str,
    new: &str,
    actor: &Actor,
) -> Result<(), AccountError> {
    check_password(new)?;
    let Some(found) = find_user(store.connection(), &fold(username)).await? else {
        return Err(AccountError::NoSuchUser(username.to_owned()));
    };
    set_password(store, found, new, actor).await
}

async fn set_password(
    store: &Store,
    found: user::Model,
    new: &str,
    actor: &Actor,
) -> Result<(), AccountError> {
    let hash = hash_password(new);
    let txn = audit::begin(store).await?;
    let object = format!("users/{}", found.username);
    let id = found.id;
    let mut active: user::ActiveModel = found.into();
    active.password_hash = Set(hash);
    active.password_changed_at = Set(crate::clock::now());
    active.update(&txn).await?;
    session::Entity::delete_many().filter(session::Column::UserId.eq(id)).exec(&txn).await?;
    // A new password is often the answer to a stolen one: the account's API tokens stop
    // working too (a program's owner issues a new one), as its browser sessions do.
    let revoked = api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, sea_orm::sea_query::Expr::value(crate::clock::now()))
        .filter(api_token::Column::UserId.eq(id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?
        .rows_affected;
    // The digest of the change must not reveal the password: only that it changed.
    let change = json!({ "password": "changed", "tokens_revoked": revoked });
    audit::append(&txn, actor, "user.password", &object, change).await?;
    txn.commit().await?;
    Ok(())
}

/// An API token as listed (never the token itself, which is shown once when issued).
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct TokenInfo {
    pub id: i64,
    pub username: String,
    pub name: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Issues a bearer token acting as `username`. Returns its id and the token (shown once).
pub async fn issue_token(
    store: &Store,
    username: &str,
    name: &str,
    actor: &Actor,
) -> Result<(i64, String), AccountError> {
    let Some(owner) = find_user(store.connection(), &fold(username)).await? else {
        return Err(AccountError::NoSuchUser(username.to_owned()));
    };
    check_text("name", name, Shape::Name)?;
    let token = format!("suiji_{}", random_token());
    let txn = audit::begin(store).await?;
    let model = api_token::ActiveModel {
        user_id: Set(owner.id),
        name: Set(name.to_owned()),
        token_sha256: Set(sha256_hex(&token)),
        created_by: Set(actor.name.clone()),
        created_at: Set(crate::clock::now()),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let change = json!({ "id": model.id, "user": username, "name": name });
    audit::append(&txn, actor, "token.issue", &format!("tokens/{}", model.id), change).await?;
    txn.commit().await?;
    Ok((model.id, token))
}

/// Revokes a token; it opens nothing from now on. Revoking a revoked token changes nothing.
pub async fn revoke_token(store: &Store, id: i64, actor: &Actor) -> Result<bool, StoreError> {
    let txn = audit::begin(store).await?;
    let Some(found) = api_token::Entity::find_by_id(id).one(&txn).await? else { return Ok(false) };
    if found.revoked_at.is_some() {
        return Ok(true);
    }
    let mut active: api_token::ActiveModel = found.into();
    active.revoked_at = Set(Some(crate::clock::now()));
    active.update(&txn).await?;
    audit::append(&txn, actor, "token.revoke", &format!("tokens/{id}"), json!({ "id": id })).await?;
    txn.commit().await?;
    Ok(true)
}

/// Every token, newest first.
pub async fn tokens(store: &Store) -> Result<Vec<TokenInfo>, StoreError> {
    let db = store.connection();
    let owners: std::collections::HashMap<i64, String> =
        user::Entity::find().all(db).await?.into_iter().map(|u| (u.id, u.username)).collect();
    let rows = api_token::Entity::find().order_by_desc(api_token::Column::Id).all(db).await?;
    Ok(rows
        .into_iter()
        .map(|t| TokenInfo {
            id: t.id,
            username: owners.get(&t.user_id).cloned().unwrap_or_default(),
            name: t.name,
            created_by: t.created_by,
            created_at: t.created_at,
            revoked_at: t.revoked_at,
        })
        .collect())
}

/// The active account a bearer token acts as, if the token is known and not revoked.
pub async fn token_user(store: &Store, token: &str) -> Result<Option<User>, StoreError> {
    let db = store.connection();
    let Some(t) = api_token::Entity::find()
        .filter(api_token::Column::TokenSha256.eq(sha256_hex(token)))
        .filter(api_token::Column::RevokedAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let user = user::Entity::find_by_id(t.user_id).one(db).await?.map(to_user);
    Ok(user.filter(|u| u.active))
}

/// An account by its user name.
pub async fn user(store: &Store, username: &str) -> Result<Option<User>, StoreError> {
    Ok(find_user(store.connection(), &fold(username)).await?.map(to_user))
}

/// Changes an account's role and whether it may sign in. Disabling it ends its sessions (its
/// tokens stop working too: they act only for active accounts). An account cannot disable or
/// demote itself, so a bureau is never left without the administrator who did it.
pub async fn update_user(
    store: &Store,
    username: &str,
    role: Role,
    active: bool,
    actor: &Actor,
) -> Result<User, AccountError> {
    let username = &fold(username);
    if fold(&actor.name) == *username && (!active || role != Role::Admin) && actor.role == Role::Admin.name()
    {
        return Err(AccountError::OwnAccount);
    }
    let txn = audit::begin(store).await?;
    let Some(found) = find_user(&txn, username).await? else {
        return Err(AccountError::NoSuchUser(username.to_owned()));
    };
    let id = found.id;
    let mut active_model: user::ActiveModel = found.into();
    active_model.role = Set(role.name().to_owned());
    active_model.status = Set(if active { "active" } else { "disabled" }.to_owned());
    let model = active_model.update(&txn).await?;
    if !active {
        session::Entity::delete_many().filter(session::Column::UserId.eq(id)).exec(&txn).await?;
    }
    let change = json!({ "role": model.role, "status": model.status });
    let touched = [Touched::one(&records::USERS, username)];
    audit::append_touching(&txn, actor, "user.update", &format!("users/{username}"), change, &touched)
        .await?;
    txn.commit().await?;
    Ok(to_user(model))
}

/// An account's department is one of the bureau's organisation, in use (or none).
async fn check_department(db: &impl ConnectionTrait, department: Option<&str>) -> Result<(), AccountError> {
    let Some(name) = department else { return Ok(()) };
    let known = crate::org::active_names(db).await.map_err(|e| match e {
        crate::workflow::WorkflowError::Store(e) => AccountError::Store(e),
        e => AccountError::Store(StoreError::Db(sea_orm::DbErr::Custom(e.to_string()))),
    })?;
    if known.iter().any(|k| k == name) {
        return Ok(());
    }
    Err(AccountError::BadText {
        field: "department",
        zh: format!("“{name}”不是本局组织机构中在用的部门"),
        en: format!("{name} is not a department of the bureau in use"),
    })
}

/// Moves an account to another department (or to none).
pub async fn set_department(
    store: &Store,
    username: &str,
    department: Option<&str>,
    actor: &Actor,
) -> Result<User, AccountError> {
    let username = &fold(username);
    let department = department.map(suiji_domain::text::trim).filter(|d| !d.is_empty());
    let txn = audit::begin(store).await?;
    let found =
        find_user(&txn, username).await?.ok_or_else(|| AccountError::NoSuchUser(username.to_owned()))?;
    check_department(&txn, department).await?;
    let before = found.department.clone();
    let mut m: user::ActiveModel = found.into();
    m.department = Set(department.map(str::to_owned));
    let model = m.update(&txn).await?;
    audit::append_touching(
        &txn,
        actor,
        "user.department",
        &format!("users/{username}"),
        json!({"before": before, "department": department}),
        &[Touched::one(&records::USERS, username)],
    )
    .await?;
    txn.commit().await?;
    Ok(to_user(model))
}

/// Links an inspector's account to its 执法证号 (or unlinks it with `None`): the account then
/// sees and enters the inspections of the teams that certificate is on.
pub async fn link_inspector(
    store: &Store,
    username: &str,
    cert_no: Option<&str>,
    actor: &Actor,
) -> Result<User, AccountError> {
    let username = &fold(username);
    let txn = audit::begin(store).await?;
    let found = find_user(&txn, username).await?;
    let found = found.ok_or_else(|| AccountError::NoSuchUser(username.to_owned()))?;
    let mut m: user::ActiveModel = found.into();
    m.inspector_cert_no = Set(cert_no.map(str::to_owned));
    let model = m.update(&txn).await?;
    audit::append_touching(
        &txn,
        actor,
        "user.link_inspector",
        &format!("user/{username}"),
        json!({"cert_no": cert_no}),
        &[Touched::one(&records::USERS, username)],
    )
    .await?;
    txn.commit().await?;
    Ok(to_user(model))
}
