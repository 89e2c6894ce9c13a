//! Staff accounts: passwords (Argon2id), signing in with throttling, browser sessions, and
//! bearer tokens for API clients. Sessions and attempts live in the database, so several
//! `suiji serve` processes on one PostgreSQL share them. Every change and every sign-in,
//! failed or not, goes to the audit log.

use crate::audit::{self, Actor};
use crate::entity::{api_token, login_attempt, session, user};
use crate::{Store, StoreError};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;
use suiji_domain::access::Role;
use suiji_domain::audit::sha256_hex;

/// How long a session lasts after signing in.
pub const SESSION_HOURS: i64 = 12;
/// The window in which failed sign-ins are counted.
pub const THROTTLE_MINUTES: i64 = 15;
/// Failed sign-ins to one account within the window before it is refused for a while.
pub const MAX_FAILURES_PER_ACCOUNT: u64 = 5;
/// Failed sign-ins from one address within the window (any account).
pub const MAX_FAILURES_PER_ADDRESS: u64 = 20;
/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// An account as the rest of suiji sees it (never its password hash).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
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
    #[error("密码至少 {MIN_PASSWORD_CHARS} 个字符 / a password has at least {MIN_PASSWORD_CHARS} characters")]
    WeakPassword,
    #[error("用户名 {0} 已存在 / the user name {0} is taken")]
    Taken(String),
    #[error("没有用户 {0} / no account {0}")]
    NoSuchUser(String),
    #[error("用户名或密码错误 / wrong user name or password")]
    WrongPassword,
    #[error(
        "尝试次数过多，请 {THROTTLE_MINUTES} 分钟后再试 / too many failed attempts; try again in {THROTTLE_MINUTES} minutes"
    )]
    Throttled,
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

fn check_username(name: &str) -> Result<(), AccountError> {
    let ok = (2..=64).contains(&name.chars().count())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok { Ok(()) } else { Err(AccountError::BadUsername) }
}

fn check_password(password: &str) -> Result<(), AccountError> {
    if password.chars().count() < MIN_PASSWORD_CHARS { Err(AccountError::WeakPassword) } else { Ok(()) }
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
    check_username(&new.username)?;
    check_password(&new.password)?;
    let password_hash = hash_password(&new.password);
    let txn = audit::begin(store).await?;
    if user::Entity::find().filter(user::Column::Username.eq(&new.username)).one(&txn).await?.is_some() {
        return Err(AccountError::Taken(new.username.clone()));
    }
    let now = Utc::now();
    let model = user::ActiveModel {
        username: Set(new.username.clone()),
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
    audit::append(&txn, actor, "user.add", &format!("users/{}", model.username), change).await?;
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

/// Checks a user name and password from `address`. Too many recent failures for the account
/// or the address refuse the attempt without checking the password. Every attempt is kept
/// and audited.
pub async fn sign_in(
    store: &Store,
    username: &str,
    password: &str,
    address: &str,
) -> Result<User, AccountError> {
    let db = store.connection();
    let since = Utc::now() - Duration::minutes(THROTTLE_MINUTES);
    let failures = |column: login_attempt::Column, value: &str| {
        login_attempt::Entity::find()
            .filter(column.eq(value))
            .filter(login_attempt::Column::Succeeded.eq(false))
            .filter(login_attempt::Column::At.gte(since))
            .count(db)
    };
    let throttled = failures(login_attempt::Column::Username, username).await? >= MAX_FAILURES_PER_ACCOUNT
        || failures(login_attempt::Column::Address, address).await? >= MAX_FAILURES_PER_ADDRESS;
    let found = user::Entity::find().filter(user::Column::Username.eq(username)).one(db).await?;
    let outcome = if throttled {
        Err(AccountError::Throttled)
    } else {
        match &found {
            Some(u) if u.status == "active" && password_matches(password, &u.password_hash) => Ok(()),
            Some(_) => Err(AccountError::WrongPassword),
            None => {
                // As slow as a real check, so timing does not tell which names exist.
                let _ = password_matches(password, &dummy_hash());
                Err(AccountError::WrongPassword)
            }
        }
    };
    let txn = audit::begin(store).await?;
    login_attempt::ActiveModel {
        username: Set(username.to_owned()),
        address: Set(address.to_owned()),
        succeeded: Set(outcome.is_ok()),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let object = format!("users/{username}");
    match (&outcome, &found) {
        (Ok(()), Some(u)) => {
            let actor = Actor::user(&u.username, Role::from_name(&u.role).unwrap_or(Role::Supervisor));
            audit::append(&txn, &actor, "login", &object, json!({ "address": address })).await?;
        }
        (Err(e), _) => {
            let reason = match e {
                AccountError::Throttled => "throttled",
                _ => "wrong user name or password",
            };
            let change = json!({ "address": address, "reason": reason });
            audit::append(&txn, &Actor::anonymous(username), "login.failed", &object, change).await?;
        }
        (Ok(()), None) => unreachable!("a sign-in succeeds only for an account that exists"),
    }
    txn.commit().await?;
    outcome?;
    Ok(to_user(found.expect("a successful sign-in has its account")))
}

fn dummy_hash() -> String {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("not anyone's password")).clone()
}

/// Opens a session for a signed-in account.
pub async fn open_session(store: &Store, user: &User, address: &str) -> Result<NewSession, StoreError> {
    let token = random_token();
    let now = Utc::now();
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
    if s.expires_at <= Utc::now() {
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
    let Some(found) =
        user::Entity::find().filter(user::Column::Username.eq(username)).one(store.connection()).await?
    else {
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
    active.password_changed_at = Set(Utc::now());
    active.update(&txn).await?;
    session::Entity::delete_many().filter(session::Column::UserId.eq(id)).exec(&txn).await?;
    // The digest of the change must not reveal the password: only that it changed.
    audit::append(&txn, actor, "user.password", &object, json!({ "password": "changed" })).await?;
    txn.commit().await?;
    Ok(())
}

/// An API token as listed (never the token itself, which is shown once when issued).
#[derive(Debug, Clone, serde::Serialize)]
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
    let Some(owner) =
        user::Entity::find().filter(user::Column::Username.eq(username)).one(store.connection()).await?
    else {
        return Err(AccountError::NoSuchUser(username.to_owned()));
    };
    let token = format!("suiji_{}", random_token());
    let txn = audit::begin(store).await?;
    let model = api_token::ActiveModel {
        user_id: Set(owner.id),
        name: Set(name.to_owned()),
        token_sha256: Set(sha256_hex(&token)),
        created_by: Set(actor.name.clone()),
        created_at: Set(Utc::now()),
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
    active.revoked_at = Set(Some(Utc::now()));
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
    let found =
        user::Entity::find().filter(user::Column::Username.eq(username)).one(store.connection()).await?;
    Ok(found.map(to_user))
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
    if actor.name == username && (!active || role != Role::Admin) && actor.role == Role::Admin.name() {
        return Err(AccountError::OwnAccount);
    }
    let txn = audit::begin(store).await?;
    let Some(found) = user::Entity::find().filter(user::Column::Username.eq(username)).one(&txn).await?
    else {
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
    audit::append(&txn, actor, "user.update", &format!("users/{username}"), change).await?;
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
    let txn = audit::begin(store).await?;
    let found = user::Entity::find().filter(user::Column::Username.eq(username)).one(&txn).await?;
    let found = found.ok_or_else(|| AccountError::NoSuchUser(username.to_owned()))?;
    let mut m: user::ActiveModel = found.into();
    m.inspector_cert_no = Set(cert_no.map(str::to_owned));
    let model = m.update(&txn).await?;
    audit::append(
        &txn,
        actor,
        "user.link_inspector",
        &format!("user/{username}"),
        json!({"cert_no": cert_no}),
    )
    .await?;
    txn.commit().await?;
    Ok(to_user(model))
}
