//! Accounts on a real store: passwords, throttled sign-in, sessions, tokens — each audited.

use suiji_domain::access::Role;
use suiji_store::Store;
use suiji_store::accounts::{self, AccountError, MAX_FAILURES_PER_ACCOUNT, NewUser};
use suiji_store::audit::{self, Actor};
use suiji_store::testing::databases;

async fn add(store: &Store, name: &str, role: Role) -> accounts::User {
    let new = NewUser {
        username: name.into(),
        display_name: format!("{name} 显示名"),
        role,
        department: None,
        password: "correct horse battery".into(),
    };
    accounts::add_user(store, &new, &Actor::system("tester")).await.unwrap()
}

/// An account belongs to a department of the organisation, in use: an unknown one is refused
/// (and nothing written), a known one is taken, and an account is moved with its entry.
#[tokio::test]
async fn an_account_belongs_to_a_department_of_the_organisation() {
    use suiji_domain::org::DepartmentKind;
    for db in databases().await {
        let store = db.open().await;
        let who = db.backend;
        let new = |department: &str| NewUser {
            username: "li.ming".into(),
            display_name: "李明".into(),
            role: Role::Unit,
            department: Some(department.into()),
            password: "correct horse battery".into(),
        };
        let e = accounts::add_user(&store, &new("社会保险科"), &Actor::system("tester")).await.unwrap_err();
        assert!(matches!(e, AccountError::BadText { field: "department", .. }), "{who}: {e}");
        assert!(accounts::user(&store, "li.ming").await.unwrap().is_none());
        suiji_store::testing::departments(
            &store,
            &[("社会保险科", DepartmentKind::Business), ("劳动保障监察股", DepartmentKind::Lead)],
        )
        .await;
        let li = accounts::add_user(&store, &new("社会保险科"), &Actor::system("tester")).await.unwrap();
        assert_eq!(li.department.as_deref(), Some("社会保险科"));
        let admin = Actor::user("admin", Role::Admin);
        let e = accounts::set_department(&store, "li.ming", Some("就业科"), &admin).await.unwrap_err();
        assert!(matches!(e, AccountError::BadText { .. }), "{who}: {e}");
        let li = accounts::set_department(&store, "li.ming", Some("劳动保障监察股"), &admin).await.unwrap();
        assert_eq!(li.department.as_deref(), Some("劳动保障监察股"));
        let last = audit::latest(&store, None, 1).await.unwrap();
        assert_eq!((last[0].action.as_str(), last[0].object.as_str()), ("user.department", "users/li.ming"));
        let tree = suiji_store::org::tree(&store).await.unwrap();
        let counts: Vec<(&str, u64)> = tree.iter().map(|d| (d.name.as_str(), d.accounts)).collect();
        assert!(
            counts.contains(&("劳动保障监察股", 1)) && counts.contains(&("社会保险科", 0)),
            "{who}: {counts:?}"
        );
    }
}

async fn actions(store: &Store) -> Vec<String> {
    let mut entries = audit::latest(store, None, 100).await.unwrap();
    entries.reverse();
    entries.into_iter().map(|e| format!("{} {} {}", e.action, e.object, e.actor)).collect()
}

#[tokio::test]
async fn sign_in_sessions_and_sign_out() {
    for db in databases().await {
        let store = db.open().await;
        let ann = add(&store, "ann", Role::Organizer).await;
        assert_eq!(ann.role, Role::Organizer);
        let user = accounts::sign_in(&store, "ann", "correct horse battery", "127.0.0.1").await.unwrap();
        assert_eq!(user.id, ann.id);
        let new = accounts::open_session(&store, &user, "127.0.0.1").await.unwrap();
        let session = accounts::session(&store, &new.token).await.unwrap().expect("a live session");
        assert_eq!(session.user.username, "ann");
        assert_eq!(session.csrf_token, new.csrf_token);
        assert!(accounts::session(&store, "not a token").await.unwrap().is_none());
        accounts::close_session(&store, &session).await.unwrap();
        assert!(accounts::session(&store, &new.token).await.unwrap().is_none(), "{}", db.backend);
        assert!(matches!(
            accounts::sign_in(&store, "ann", "wrong password!", "127.0.0.1").await,
            Err(AccountError::WrongPassword)
        ));
        assert!(matches!(
            accounts::sign_in(&store, "nobody", "whatever it is", "127.0.0.1").await,
            Err(AccountError::WrongPassword)
        ));
        assert_eq!(
            actions(&store).await,
            ["user.add users/ann tester", "login users/ann ann", "logout users/ann ann",]
        );
        assert!(audit::verify(&store).await.unwrap().is_ok());
    }
}

#[tokio::test]
async fn bad_accounts_are_refused_and_change_nothing() {
    for db in databases().await {
        let store = db.open().await;
        add(&store, "ann", Role::Unit).await;
        let mut new = NewUser {
            username: "ann".into(),
            display_name: "again".into(),
            role: Role::Admin,
            department: None,
            password: "long enough password".into(),
        };
        let actor = Actor::system("tester");
        assert!(matches!(accounts::add_user(&store, &new, &actor).await, Err(AccountError::Taken(_))));
        new.username = "bad name!".into();
        assert!(matches!(accounts::add_user(&store, &new, &actor).await, Err(AccountError::BadUsername)));
        new.username = "bob".into();
        new.password = "short".into();
        assert!(matches!(accounts::add_user(&store, &new, &actor).await, Err(AccountError::WeakPassword)));
        assert_eq!(accounts::user_count(&store).await.unwrap(), 1, "{}", db.backend);
        assert_eq!(audit::head(&store).await.unwrap().0, 1);
    }
}

#[tokio::test]
async fn repeated_failures_lock_the_account_even_with_the_right_password() {
    for db in databases().await {
        let store = db.open().await;
        add(&store, "ann", Role::Inspector).await;
        for _ in 0..MAX_FAILURES_PER_ACCOUNT {
            let r = accounts::sign_in(&store, "ann", "guess guess guess", "10.0.0.9").await;
            // Each failure past the limit locks for a while; these come one after another.
            assert!(matches!(r, Err(AccountError::WrongPassword)));
        }
        let r = accounts::sign_in(&store, "ann", "correct horse battery", "10.0.0.1").await;
        assert!(matches!(r, Err(AccountError::Throttled { .. })), "{}: {r:?}", db.backend);
        // Another account from another address is not affected.
        add(&store, "bob", Role::Inspector).await;
        assert!(accounts::sign_in(&store, "bob", "correct horse battery", "10.0.0.1").await.is_ok());
    }
}

#[tokio::test]
async fn password_changes_end_sessions() {
    for db in databases().await {
        let store = db.open().await;
        let ann = add(&store, "ann", Role::Admin).await;
        let new = accounts::open_session(&store, &ann, "::1").await.unwrap();
        assert!(matches!(
            accounts::change_password(&store, &ann, "not the password", "a brand new password").await,
            Err(AccountError::WrongPassword)
        ));
        accounts::change_password(&store, &ann, "correct horse battery", "a brand new password")
            .await
            .unwrap();
        assert!(accounts::session(&store, &new.token).await.unwrap().is_none(), "{}", db.backend);
        assert!(accounts::sign_in(&store, "ann", "a brand new password", "::1").await.is_ok());
        let entries = audit::latest(&store, None, 10).await.unwrap();
        let change = entries.iter().find(|e| e.action == "user.password").unwrap();
        assert!(!change.change.contains("brand"), "the audit log never holds a password");
    }
}

#[tokio::test]
async fn tokens_open_until_revoked() {
    for db in databases().await {
        let store = db.open().await;
        add(&store, "ann", Role::Unit).await;
        let actor = Actor::system("admin");
        let (id, token) = accounts::issue_token(&store, "ann", "sync", &actor).await.unwrap();
        assert!(token.starts_with("suiji_"));
        assert_eq!(accounts::token_user(&store, &token).await.unwrap().unwrap().username, "ann");
        assert!(accounts::revoke_token(&store, id, &actor).await.unwrap());
        assert!(accounts::token_user(&store, &token).await.unwrap().is_none(), "{}", db.backend);
        assert!(!accounts::revoke_token(&store, id + 100, &actor).await.unwrap());
        let listed = accounts::tokens(&store).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert!(listed[0].revoked_at.is_some());
    }
}

async fn throttle_rows(store: &Store) -> u64 {
    use sea_orm::{EntityTrait, PaginatorTrait};
    suiji_store::entity::login_throttle::Entity::find().count(store.connection()).await.unwrap()
}

/// Issue 13, item 1: a flood of failed sign-ins — unknown names, wrong passwords, throttled
/// tries — costs the database a bounded number of rows, and no name is kept verbatim.
#[tokio::test]
async fn a_flood_of_failed_sign_ins_costs_bounded_space() {
    for db in databases().await {
        let store = db.open().await;
        add(&store, "ann", Role::Unit).await;
        let before = audit::head(&store).await.unwrap().0;
        for i in 0..200 {
            let name = if i % 2 == 0 { format!("nobody{i}") } else { "ann".to_owned() };
            let r = accounts::sign_in(&store, &name, "not the password", "10.9.9.9").await;
            assert!(matches!(r, Err(AccountError::WrongPassword | AccountError::Throttled { .. })), "{r:?}");
        }
        // One row for the address and one for ann's account, however many tries.
        assert_eq!(throttle_rows(&store).await, 2, "{}", db.backend);
        // An entry when each counter reached its limit, not one per try.
        let entries = audit::latest(&store, None, 100).await.unwrap();
        let new: Vec<_> = entries.iter().filter(|e| e.seq > before).collect();
        assert!(new.len() <= 2, "{}: {} entries", db.backend, new.len());
        assert!(new.iter().all(|e| e.action == "login.locked"));
        assert!(entries.iter().all(|e| !e.actor.starts_with("nobody") && !e.object.contains("nobody")));
        // A name longer than any account's is refused before any work: nothing is written.
        let head = audit::head(&store).await.unwrap();
        let long = "x".repeat(4 << 20);
        let r = accounts::sign_in(&store, &long, "whatever it is", "10.1.1.1").await;
        assert!(matches!(r, Err(AccountError::BadUsername)), "{r:?}");
        assert_eq!(audit::head(&store).await.unwrap(), head);
        assert_eq!(throttle_rows(&store).await, 2);
    }
}

/// Issue 13, item 2: the try is reserved before the password is checked, so 40 guesses at once
/// get at most the limit's worth of password checks — the right one among them is refused.
#[tokio::test]
async fn parallel_guesses_get_no_more_checks_than_the_limit() {
    for db in databases().await {
        let store = db.open().await;
        add(&store, "ann", Role::Unit).await;
        let mut tries = tokio::task::JoinSet::new();
        for i in 0..40 {
            let store = store.clone();
            tries.spawn(async move {
                let password = if i == 39 { "correct horse battery" } else { "a wrong guess" };
                accounts::sign_in(&store, "ann", password, &format!("10.0.{i}.1")).await
            });
        }
        let (mut checked, mut throttled) = (0, 0);
        while let Some(r) = tries.join_next().await {
            match r.unwrap() {
                Ok(_) | Err(AccountError::WrongPassword) => checked += 1,
                Err(AccountError::Throttled { .. }) => throttled += 1,
                Err(e) => panic!("{}: {e}", db.backend),
            }
        }
        assert!(checked <= MAX_FAILURES_PER_ACCOUNT, "{}: {checked} passwords checked", db.backend);
        assert_eq!(checked + throttled, 40);
    }
}

/// Issue 13, item 3: a refused try does not count, the lock grows with each failure instead of
/// holding for a fixed time, and an administrator lifts it.
#[tokio::test]
async fn locks_grow_gradually_and_an_administrator_lifts_them() {
    for db in databases().await {
        let store = db.open().await;
        add(&store, "ann", Role::Unit).await;
        for _ in 0..MAX_FAILURES_PER_ACCOUNT {
            let _ = accounts::sign_in(&store, "ann", "a wrong guess", "10.0.0.9").await;
        }
        // The fifth failure locks for 2 s; knocking meanwhile neither counts nor extends it.
        for _ in 0..10 {
            let r = accounts::sign_in(&store, "ann", "a wrong guess", "10.0.0.9").await;
            assert!(matches!(r, Err(AccountError::Throttled { seconds: 1..=2 })), "{}: {r:?}", db.backend);
        }
        tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
        // One more failure: 4 s now.
        let r = accounts::sign_in(&store, "ann", "a wrong guess", "10.0.0.9").await;
        assert!(matches!(r, Err(AccountError::WrongPassword)), "{}: {r:?}", db.backend);
        let r = accounts::sign_in(&store, "ann", "correct horse battery", "10.0.0.9").await;
        assert!(matches!(r, Err(AccountError::Throttled { seconds: 3..=4 })), "{}: {r:?}", db.backend);
        assert_eq!(accounts::locked_accounts(&store).await.unwrap().len(), 1);
        assert!(accounts::unlock(&store, "ann", &Actor::system("admin")).await.unwrap());
        assert!(accounts::locked_accounts(&store).await.unwrap().is_empty());
        accounts::sign_in(&store, "ann", "correct horse battery", "10.0.0.9").await.unwrap();
        let entries = audit::latest(&store, None, 3).await.unwrap();
        assert_eq!(entries[0].action, "login");
        assert_eq!(entries[1].action, "user.unlock");
    }
}

/// Issue 13, item 4: an unknown name and a disabled account do the same Argon2 work as a wrong
/// password (before, a disabled account was answered at once).
#[tokio::test]
async fn unknown_and_disabled_accounts_take_as_long_as_a_wrong_password() {
    for db in databases().await {
        let store = db.open().await;
        add(&store, "ann", Role::Unit).await;
        add(&store, "bob", Role::Unit).await;
        accounts::update_user(&store, "bob", Role::Unit, false, &Actor::system("admin")).await.unwrap();
        // Each measured in turn, three rounds (more would be throttled), the best of each
        // kept: a busy machine slows all three alike rather than one of them.
        let once = |name: &'static str, address: &'static str| {
            let store = store.clone();
            async move {
                let start = std::time::Instant::now();
                let r = accounts::sign_in(&store, name, "correct horse battery x", address).await;
                assert!(matches!(r, Err(AccountError::WrongPassword)), "{r:?}");
                start.elapsed()
            }
        };
        let (mut wrong, mut disabled, mut unknown) =
            (std::time::Duration::MAX, std::time::Duration::MAX, std::time::Duration::MAX);
        for _ in 0..3 {
            wrong = wrong.min(once("ann", "10.0.0.1").await);
            disabled = disabled.min(once("bob", "10.0.0.2").await);
            unknown = unknown.min(once("nobody", "10.0.0.3").await);
        }
        // Argon2 is most of each; without it an answer takes a fraction of that.
        for (what, t) in [("disabled", disabled), ("unknown", unknown)] {
            assert!(t * 2 > wrong, "{}: {what} {t:?} vs wrong password {wrong:?}", db.backend);
        }
        // A disabled account with its right password is refused like a wrong one.
        let r = accounts::sign_in(&store, "bob", "correct horse battery", "10.0.0.4").await;
        assert!(matches!(r, Err(AccountError::WrongPassword)), "{r:?}");
    }
}

/// Issue 13, item 6: user names are one whatever their case, and a new password revokes the
/// account's API tokens as well as its sessions.
#[tokio::test]
async fn names_ignore_case_and_a_password_reset_revokes_tokens() {
    for db in databases().await {
        let store = db.open().await;
        add(&store, "Ann", Role::Admin).await;
        let mut again = NewUser {
            username: "ANN".into(),
            display_name: "again".into(),
            role: Role::Unit,
            department: None,
            password: "long enough password".into(),
        };
        let actor = Actor::system("tester");
        assert!(matches!(accounts::add_user(&store, &again, &actor).await, Err(AccountError::Taken(_))));
        again.username = "ann".into();
        assert!(matches!(accounts::add_user(&store, &again, &actor).await, Err(AccountError::Taken(_))));
        assert_eq!(accounts::user_count(&store).await.unwrap(), 1);
        let user = accounts::sign_in(&store, "aNN", "correct horse battery", "::1").await.unwrap();
        assert_eq!(user.username, "ann");
        let (_, token) = accounts::issue_token(&store, "ANN", "sync", &actor).await.unwrap();
        assert!(accounts::token_user(&store, &token).await.unwrap().is_some());
        accounts::reset_password(&store, "Ann", "a brand new password", &actor).await.unwrap();
        assert!(accounts::token_user(&store, &token).await.unwrap().is_none(), "{}", db.backend);
        let entry = &audit::latest(&store, None, 1).await.unwrap()[0];
        assert_eq!(entry.action, "user.password");
        assert!(entry.change.contains("\"tokens_revoked\":1"), "{}", entry.change);
    }
}
