//! Who is calling: bearer JWTs from the portal's identity provider, never the request body.

use std::path::PathBuf;

use axum::http::{HeaderMap, StatusCode};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use motcua::Actor;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;

/// Where the keys that verify tokens come from.
#[derive(Clone, Debug)]
pub enum KeySource {
    /// A shared secret, HS256: for development and tests only.
    Hs256(Vec<u8>),
    /// A PEM public key file: `RS256` (RSA) or `EdDSA` (Ed25519).
    PublicKeyPem {
        /// The algorithm the key is for: [`Algorithm::RS256`] or [`Algorithm::EdDSA`].
        algorithm: Algorithm,
        /// The PEM file.
        path: PathBuf,
    },
    /// A JWKS document (the identity provider's `jwks.json`, saved to a file): keys are
    /// picked by the token header's `kid`.
    JwksFile(PathBuf),
    /// Development: a random HS256 secret made at start, and `POST /dev/token` to mint
    /// tokens for any identity. Never for production.
    Development,
}

/// How tokens are checked.
#[derive(Clone, Debug)]
pub struct AuthConfig {
    /// The keys.
    pub keys: KeySource,
    /// When set, the `iss` claim must equal it.
    pub issuer: Option<String>,
    /// When set, the `aud` claim must contain it.
    pub audience: Option<String>,
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig { keys: KeySource::Development, issuer: None, audience: None }
    }
}

/// The claims a token carries (the portal's identity provider puts them there).
///
/// ```
/// let claims: motcua_server::Claims = serde_json::from_value(serde_json::json!({
///     "sub": "cb-0042", "role": "one_stop_officer", "agency": "commune_committee",
///     "unit": "00004", "exp": 4102444800u64
/// })).unwrap();
/// assert_eq!(claims.actor().unit.as_deref(), Some("00004"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Claims {
    /// The user: a citizen's identifier (e.g. their VNeID number) or an officer's account.
    pub sub: String,
    /// The role, from the catalogue (`citizen` for applicants).
    pub role: String,
    /// The agency kind the officer works for; absent for citizens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    /// The administrative unit the officer works in (e.g. `00004`); absent for citizens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Expiry, seconds since the epoch (required).
    pub exp: u64,
    /// Issuer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// Audience.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<String>,
}

impl Claims {
    /// The engine's actor for these claims.
    pub fn actor(&self) -> Actor {
        Actor {
            role: self.role.clone(),
            agency: self.agency.clone(),
            unit: self.unit.clone(),
            user: Some(self.sub.clone()),
        }
    }

    /// Whether the caller is an applicant (no agency).
    pub fn is_citizen(&self) -> bool {
        self.agency.is_none()
    }
}

/// Verifies tokens (and, in development, mints them).
pub struct Verifier {
    keys: Vec<(Option<String>, Algorithm, DecodingKey)>,
    dev_secret: Option<Vec<u8>>,
    issuer: Option<String>,
    audience: Option<String>,
}

/// Why a key configuration could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct KeyError(pub String);

impl Verifier {
    /// Reads the keys of `config`.
    pub fn new(config: &AuthConfig) -> Result<Verifier, KeyError> {
        let read =
            |path: &PathBuf| std::fs::read(path).map_err(|e| KeyError(format!("cannot read {}: {e}", path.display())));
        let mut dev_secret = None;
        let keys = match &config.keys {
            KeySource::Hs256(secret) => vec![(None, Algorithm::HS256, DecodingKey::from_secret(secret))],
            KeySource::Development => {
                let mut secret = vec![0u8; 32];
                getrandom::fill(&mut secret).map_err(|e| KeyError(format!("no randomness: {e}")))?;
                let key = DecodingKey::from_secret(&secret);
                dev_secret = Some(secret);
                vec![(None, Algorithm::HS256, key)]
            }
            KeySource::PublicKeyPem { algorithm, path } => {
                let pem = read(path)?;
                let key = match algorithm {
                    Algorithm::RS256 => DecodingKey::from_rsa_pem(&pem),
                    Algorithm::EdDSA => DecodingKey::from_ed_pem(&pem),
                    other => return Err(KeyError(format!("unsupported algorithm {other:?}: use RS256 or EdDSA"))),
                }
                .map_err(|e| KeyError(format!("{}: {e}", path.display())))?;
                vec![(None, *algorithm, key)]
            }
            KeySource::JwksFile(path) => {
                let set: JwkSet = serde_json::from_slice(&read(path)?)
                    .map_err(|e| KeyError(format!("{}: not a JWKS document: {e}", path.display())))?;
                let mut keys = Vec::new();
                for jwk in &set.keys {
                    let algorithm = match jwk.common.key_algorithm.map(|a| a.to_string()) {
                        Some(a) if a == "RS256" => Algorithm::RS256,
                        Some(a) if a == "EdDSA" => Algorithm::EdDSA,
                        None if matches!(jwk.algorithm, jsonwebtoken::jwk::AlgorithmParameters::RSA(_)) => {
                            Algorithm::RS256
                        }
                        None if matches!(jwk.algorithm, jsonwebtoken::jwk::AlgorithmParameters::OctetKeyPair(_)) => {
                            Algorithm::EdDSA
                        }
                        _ => continue,
                    };
                    let key = DecodingKey::from_jwk(jwk).map_err(|e| KeyError(format!("{}: {e}", path.display())))?;
                    keys.push((jwk.common.key_id.clone(), algorithm, key));
                }
                if keys.is_empty() {
                    return Err(KeyError(format!("{}: no RS256 or EdDSA key", path.display())));
                }
                keys
            }
        };
        Ok(Verifier { keys, dev_secret, issuer: config.issuer.clone(), audience: config.audience.clone() })
    }

    /// Whether `POST /dev/token` is open (development keys).
    pub fn is_development(&self) -> bool {
        self.dev_secret.is_some()
    }

    /// A token for `claims`, signed with the development secret.
    pub fn mint(&self, claims: &Claims) -> Option<String> {
        let secret = self.dev_secret.as_ref()?;
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(secret)).ok()
    }

    /// The caller of a request: its verified claims.
    pub fn caller(&self, headers: &HeaderMap) -> Result<Claims, ApiError> {
        let unauthorized =
            |vi: &str, en: &str| ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "authorization", vi, en);
        let value = headers.get(axum::http::header::AUTHORIZATION).ok_or_else(|| {
            unauthorized(
                "Thiếu mã xác thực (Authorization: Bearer …)",
                "Missing bearer token (Authorization: Bearer …)",
            )
        })?;
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(str::trim)
            .ok_or_else(|| {
                unauthorized("Mã xác thực phải có dạng Bearer …", "The authorization must be `Bearer <token>`")
            })?;
        let header = jsonwebtoken::decode_header(token)
            .map_err(|_| unauthorized("Mã xác thực không đọc được", "The token cannot be read"))?;
        let candidates = self.keys.iter().filter(|(kid, algorithm, _)| {
            *algorithm == header.alg && (kid.is_none() || header.kid.is_none() || *kid == header.kid)
        });
        let mut last = None;
        for (_, algorithm, key) in candidates {
            let mut validation = Validation::new(*algorithm);
            validation.leeway = 30;
            validation.set_required_spec_claims(&["exp"]);
            if let Some(issuer) = &self.issuer {
                validation.set_issuer(&[issuer]);
            }
            match &self.audience {
                Some(audience) => validation.set_audience(&[audience]),
                None => validation.validate_aud = false,
            }
            match jsonwebtoken::decode::<Claims>(token, key, &validation) {
                Ok(data) => return check_claims(data.claims),
                Err(e) => last = Some(e),
            }
        }
        use jsonwebtoken::errors::ErrorKind;
        Err(match last.as_ref().map(|e| e.kind()) {
            Some(ErrorKind::ExpiredSignature) => unauthorized("Mã xác thực đã hết hạn", "The token has expired"),
            Some(ErrorKind::InvalidIssuer) => {
                unauthorized("Mã xác thực do nơi khác cấp", "The token has another issuer")
            }
            Some(ErrorKind::InvalidAudience) => {
                unauthorized("Mã xác thực cấp cho dịch vụ khác", "The token is for another audience")
            }
            Some(ErrorKind::Json(_) | ErrorKind::MissingRequiredClaim(_)) => unauthorized(
                "Mã xác thực thiếu thông tin người dùng (sub, role, exp)",
                "The token lacks the caller's claims (sub, role, exp)",
            ),
            None => unauthorized(
                "Không có khóa nào kiểm tra được thuật toán của mã xác thực",
                "No key verifies the token's algorithm",
            ),
            _ => unauthorized("Chữ ký của mã xác thực không hợp lệ", "The token's signature does not verify"),
        })
    }
}

fn check_claims(claims: Claims) -> Result<Claims, ApiError> {
    let bad = |field: &str, vi: &str, en: &str| ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", field, vi, en);
    if claims.sub.trim().is_empty() {
        return Err(bad("authorization", "Mã xác thực không có người dùng (sub)", "The token names no user (sub)"));
    }
    if claims.role.trim().is_empty() {
        return Err(bad("authorization", "Mã xác thực không có vai trò (role)", "The token names no role"));
    }
    if claims.agency.is_some() && claims.unit.is_none() {
        return Err(bad(
            "authorization",
            "Mã xác thực của cán bộ phải có đơn vị hành chính (unit)",
            "An officer's token must name an administrative unit (unit)",
        ));
    }
    Ok(claims)
}
