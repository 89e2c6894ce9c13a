//! `suiji user` and `suiji token`: staff accounts and API tokens, from the server's shell.

use super::{open_store, runtime};
use crate::Failure;
use crate::cli::{TokenCommand, UserCommand};
use std::io::{BufRead, Write};
use suiji_store::accounts::{self, AccountError, NewUser};

fn failure(e: AccountError) -> Failure {
    Failure::Input(e.to_string())
}

/// The password from standard input's first line, or a new random one (printed by the caller).
fn password(from_stdin: bool) -> Result<(String, bool), Failure> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| Failure::Input(format!("standard input: {e}")))?;
        Ok((line.trim_end_matches(['\r', '\n']).to_owned(), false))
    } else {
        // 20 hex digits: 80 bits, and easy to read out.
        Ok((accounts::random_token()[..20].to_owned(), true))
    }
}

pub fn user(command: &UserCommand, stdout: &mut dyn Write) -> Result<(), Failure> {
    match command {
        UserCommand::Add { username, role, name, department, password_stdin, db, actor: who } => {
            let (password, made) = password(*password_stdin)?;
            let new = NewUser {
                username: username.clone(),
                display_name: name.clone().unwrap_or_else(|| username.clone()),
                role: *role,
                department: department.clone(),
                password: password.clone(),
            };
            let user = runtime()?.block_on(async {
                let store = open_store(&db.db).await?;
                accounts::add_user(&store, &new, &who.actor()).await.map_err(failure)
            })?;
            crate::output_line(
                stdout,
                format!("added {} ({}, {} {})", user.username, user.display_name, user.role.zh(), user.role),
            )?;
            if made {
                crate::output_line(
                    stdout,
                    format!("password: {password}  (shown once; change it after signing in)"),
                )?;
            }
            Ok(())
        }
        UserCommand::LinkInspector { username, cert_no, none: _, db, actor: who } => {
            let user = runtime()?.block_on(async {
                let store = open_store(&db.db).await?;
                if let Some(c) = cert_no {
                    let known = suiji_store::directory::find::<suiji_domain::directory::Inspector>(&store, c)
                        .await
                        .map_err(|e| Failure::Input(e.to_string()))?;
                    if known.is_none() {
                        return Err(Failure::Input(format!("no inspector {c} in the inspector directory")));
                    }
                }
                accounts::link_inspector(&store, username, cert_no.as_deref(), &who.actor())
                    .await
                    .map_err(failure)
            })?;
            let cert = user.inspector_cert_no.as_deref().unwrap_or("(none)");
            crate::output_line(stdout, format!("{} is linked to {cert}", user.username))
        }
        UserCommand::List { db } => {
            let users = runtime()?.block_on(async {
                let store = open_store(&db.db).await?;
                accounts::users(&store).await.map_err(|e| Failure::Input(e.to_string()))
            })?;
            for u in users {
                crate::output_line(
                    stdout,
                    format!(
                        "{}\t{}\t{}\t{}\t{}",
                        u.username,
                        u.display_name,
                        u.role,
                        u.department.as_deref().unwrap_or("-"),
                        if u.active { "active" } else { "disabled" }
                    ),
                )?;
            }
            Ok(())
        }
        UserCommand::Set { username, role, department, disable, enable, db, actor: who } => {
            let user = runtime()?.block_on(async {
                let store = open_store(&db.db).await?;
                let current = accounts::user(&store, username)
                    .await
                    .map_err(|e| Failure::Input(e.to_string()))?
                    .ok_or_else(|| failure(AccountError::NoSuchUser(username.clone())))?;
                if let Some(d) = department {
                    accounts::set_department(&store, username, Some(d), &who.actor())
                        .await
                        .map_err(failure)?;
                }
                if role.is_none() && !*disable && !*enable {
                    return accounts::user(&store, username)
                        .await
                        .map_err(|e| Failure::Input(e.to_string()))?
                        .ok_or_else(|| failure(AccountError::NoSuchUser(username.clone())));
                }
                let active = if *disable { false } else { *enable || current.active };
                let role = role.unwrap_or(current.role);
                accounts::update_user(&store, username, role, active, &who.actor()).await.map_err(failure)
            })?;
            let state = if user.active { "active" } else { "disabled" };
            crate::output_line(
                stdout,
                format!("{}: {} ({}), {state}", user.username, user.role.zh(), user.role),
            )
        }
        UserCommand::Unlock { username, db, actor: who } => {
            let had = runtime()?.block_on(async {
                let store = open_store(&db.db).await?;
                accounts::unlock(&store, username, &who.actor()).await.map_err(failure)
            })?;
            let what = if had { "its failed sign-ins are forgotten" } else { "it had no failed sign-ins" };
            crate::output_line(stdout, format!("{username}: unlocked; {what}"))
        }
        UserCommand::ResetPassword { username, password_stdin, db, actor: who } => {
            let (password, made) = password(*password_stdin)?;
            runtime()?.block_on(async {
                let store = open_store(&db.db).await?;
                accounts::reset_password(&store, username, &password, &who.actor()).await.map_err(failure)
            })?;
            crate::output_line(
                stdout,
                format!("password of {username} set; its sessions are signed out and its API tokens revoked"),
            )?;
            if made {
                crate::output_line(stdout, format!("password: {password}  (shown once)"))?;
            }
            Ok(())
        }
    }
}

pub fn token(command: &TokenCommand, stdout: &mut dyn Write) -> Result<(), Failure> {
    match command {
        TokenCommand::Issue { username, name, db, actor: who } => {
            let (id, token) = runtime()?.block_on(async {
                let store = open_store(&db.db).await?;
                accounts::issue_token(&store, username, name, &who.actor()).await.map_err(failure)
            })?;
            crate::output_line(stdout, format!("token {id} for {username} (shown once):"))?;
            crate::output_line(stdout, token)
        }
        TokenCommand::Revoke { id, db, actor: who } => {
            let found = runtime()?.block_on(async {
                let store = open_store(&db.db).await?;
                accounts::revoke_token(&store, *id, &who.actor())
                    .await
                    .map_err(|e| Failure::Input(e.to_string()))
            })?;
            if !found {
                return Err(Failure::Input(format!("no token {id}")));
            }
            crate::output_line(stdout, format!("token {id} revoked"))
        }
        TokenCommand::List { db } => {
            let tokens = runtime()?.block_on(async {
                let store = open_store(&db.db).await?;
                accounts::tokens(&store).await.map_err(|e| Failure::Input(e.to_string()))
            })?;
            for t in tokens {
                let state =
                    t.revoked_at.map_or("active".to_owned(), |r| format!("revoked {}", r.format("%F %T")));
                crate::output_line(stdout, format!("{}\t{}\t{}\t{}", t.id, t.username, t.name, state))?;
            }
            Ok(())
        }
    }
}
