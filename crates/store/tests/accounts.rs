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
        department: Some("劳动保障监察大队".into()),
        password: "correct horse battery".into(),
    };
    accounts::add_user(store, &new, &Actor::system("tester")).await.unwrap()
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
            [
                "user.add users/ann tester",
                "login users/ann ann",
                "logout users/ann ann",
                "login.failed users/ann ann",
                "login.failed users/nobody nobody"
            ]
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
            assert!(matches!(r, Err(AccountError::WrongPassword)));
        }
        let r = accounts::sign_in(&store, "ann", "correct horse battery", "10.0.0.1").await;
        assert!(matches!(r, Err(AccountError::Throttled)), "{}: {r:?}", db.backend);
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
