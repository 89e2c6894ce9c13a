//! Chinese by default, English on request (`?lang=en`, remembered in a cookie).

use axum::http::request::Parts;
use axum::http::{HeaderMap, Uri};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// The text in this language.
    pub fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    pub fn is_en(&self) -> bool {
        *self == Lang::En
    }

    /// This language's half of a pair written "中文 English" (as the importer names its
    /// phases: "检查 checking"): the words before the first space, or the rest.
    pub fn half<'a>(&self, pair: &'a str) -> &'a str {
        match (self, pair.split_once(' ')) {
            (Lang::Zh, Some((zh, _))) => zh,
            (Lang::En, Some((_, en))) => en,
            (_, None) => pair,
        }
    }

    /// The `lang` attribute of the page.
    pub fn code(&self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The query (`lang=…`) wins, then the cookie.
    pub fn of(uri: &Uri, headers: &HeaderMap) -> Lang {
        let query = uri.query().unwrap_or("");
        for pair in query.split('&') {
            match pair {
                "lang=en" => return Lang::En,
                "lang=zh" => return Lang::Zh,
                _ => {}
            }
        }
        Lang::from_cookie(headers)
    }

    fn from_cookie(headers: &HeaderMap) -> Lang {
        let jar = axum_extra::extract::cookie::CookieJar::from_headers(headers);
        match jar.get("lang").map(|c| c.value()) {
            Some("en") => Lang::En,
            _ => Lang::Zh,
        }
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Lang, Self::Rejection> {
        Ok(Lang::of(&parts.uri, &parts.headers))
    }
}
