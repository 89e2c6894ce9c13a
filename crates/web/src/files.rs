//! Files kept with records (an inspection's evidence, a lead's letters): the one file a form
//! uploads, the content type an API upload names, and a kept file sent back as a download.

use crate::error::PageError;
use crate::lang::Lang;
use axum::extract::Multipart;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The type an API upload names in its Content-Type (the store keeps it short and plain).
pub fn content_type(headers: &HeaderMap) -> &str {
    headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("application/octet-stream")
}

/// The form's one file (its field `file`): its name, its type and its bytes — or the page that
/// says why there is none.
pub async fn uploaded_file(
    lang: Lang,
    mut multipart: Multipart,
) -> Result<(String, String, Vec<u8>), Response> {
    let mut file = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = field.file_name().unwrap_or("").to_owned();
                let content_type = field.content_type().unwrap_or("application/octet-stream").to_owned();
                match field.bytes().await {
                    Ok(bytes) => file = Some((name, content_type, bytes.to_vec())),
                    Err(_) => {
                        return Err(PageError::new(
                            StatusCode::BAD_REQUEST,
                            lang,
                            lang.t("上传中断", "the upload broke off"),
                        )
                        .into_response());
                    }
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => {
                return Err(PageError::new(
                    StatusCode::BAD_REQUEST,
                    lang,
                    lang.t("上传格式不正确", "a malformed upload"),
                )
                .into_response());
            }
        }
    }
    file.ok_or_else(|| {
        PageError::new(StatusCode::UNPROCESSABLE_ENTITY, lang, lang.t("请选择文件", "choose a file"))
            .into_response()
    })
}

/// A kept file, downloaded (never shown inline: it may be anything), named `<kind>-<id>` with
/// its own name beside it for the browsers that read it.
pub fn download(kind: &str, id: i64, file_name: &str, data: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{kind}-{id}\"; filename*=UTF-8''{}",
                    crate::auth::urlencode(file_name)
                ),
            ),
        ],
        data,
    )
        .into_response()
}

/// A published CSV file (a population, a pool, recusals), shown in the browser by its name.
pub fn csv(name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"{name}\"")),
        ],
        body,
    )
        .into_response()
}

/// A published JSON document (a draw, an assignment, a merge).
pub fn json_file(body: String) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}
