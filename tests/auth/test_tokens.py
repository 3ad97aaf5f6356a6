"""TokenVerifier against a real issuer over HTTP: what it accepts, what it refuses and why, and how
it treats the issuer (caching, rotation, outages, bursts)."""

from __future__ import annotations

import asyncio
import base64
import json
import time
import uuid
from typing import Any

import pytest
from joserfc.errors import SecurityWarning
from joserfc.jwk import ECKey, RSAKey

from auth.errors import InvalidToken, IssuerUnavailable
from auth.jwks import parse_jwks
from auth.oidc_config import OidcConfig
from tests.auth.conftest import VerifierFactory
from tests.auth.issuer import AUDIENCE, LocalIssuer, mint, new_ec_key, new_rsa_key


async def refused(verifier_for: VerifierFactory, token: str) -> str:
    with pytest.raises(InvalidToken) as refusal:
        await verifier_for().verify(token)
    return refusal.value.reason


# -- accepted ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kid", ["rsa-1", "ec-1"])
async def test_a_valid_token_verifies_and_returns_its_claims(
    issuer: LocalIssuer, verifier_for: VerifierFactory, kid: str
) -> None:
    # given
    key = next(key for key in issuer.keys if key.kid == kid)
    token = issuer.access_token(key, sub="agent-44", roles=["caf-44"])
    # when
    claims = await verifier_for().verify(token)
    # then
    assert claims["sub"] == "agent-44"
    assert claims["roles"] == ["caf-44"]
    assert claims["iss"] == issuer.url
    assert claims["aud"] == AUDIENCE


async def test_an_audience_list_containing_ours_is_accepted(issuer: LocalIssuer, verifier_for: VerifierFactory) -> None:
    token = issuer.access_token(aud=["https://other.test", AUDIENCE])
    claims = await verifier_for().verify(token)
    assert claims["aud"] == ["https://other.test", AUDIENCE]


async def test_a_token_within_the_leeway_is_accepted(issuer: LocalIssuer, verifier_for: VerifierFactory) -> None:
    # given a token that expired 10 s ago and one not valid for another 10 s, with 30 s of leeway
    now = int(time.time())
    just_expired = issuer.access_token(exp=now - 10, iat=now - 310)
    nearly_valid = issuer.access_token(nbf=now + 10, iat=now + 10)
    verifier = verifier_for(leeway_seconds=30)
    # when / then
    assert (await verifier.verify(just_expired))["exp"] == now - 10
    assert (await verifier.verify(nearly_valid))["nbf"] == now + 10


async def test_the_issuer_is_joined_to_the_well_known_path_without_its_trailing_slash(
    issuer: LocalIssuer, verifier_for: VerifierFactory
) -> None:
    # given an issuer identifier ending with a slash, advertised as such
    issuer.advertised_issuer = issuer.url + "/"
    token = issuer.access_token(iss=issuer.url + "/")
    # when
    claims = await verifier_for(issuer=issuer.url + "/").verify(token)
    # then
    assert claims["iss"] == issuer.url + "/"
    assert issuer.discovery_fetches == 1


async def test_a_keycloak_style_jwt_typ_is_accepted_when_configured(
    issuer: LocalIssuer, verifier_for: VerifierFactory
) -> None:
    token = issuer.access_token(header={"typ": "JWT"}, typ="Bearer")
    claims = await verifier_for(accepted_typ=("at+jwt", "JWT")).verify(token)
    assert claims["typ"] == "Bearer"


# -- refused ----------------------------------------------------------------------------------------


async def test_an_expired_token_is_refused(issuer: LocalIssuer, verifier_for: VerifierFactory) -> None:
    now = int(time.time())
    token = issuer.access_token(exp=now - 60, iat=now - 360)
    assert await refused(verifier_for, token) == "the token has expired"


async def test_a_token_not_yet_valid_beyond_the_leeway_is_refused(
    issuer: LocalIssuer, verifier_for: VerifierFactory
) -> None:
    token = issuer.access_token(nbf=int(time.time()) + 120)
    assert await refused(verifier_for, token) == "the token is not yet valid"


async def test_a_token_from_another_issuer_is_refused(issuer: LocalIssuer, verifier_for: VerifierFactory) -> None:
    token = issuer.access_token(iss="https://login.example.test")
    assert await refused(verifier_for, token) == "the token was issued by another issuer"


async def test_a_token_for_another_audience_is_refused(issuer: LocalIssuer, verifier_for: VerifierFactory) -> None:
    token = issuer.access_token(aud=["https://other.test"])
    assert await refused(verifier_for, token) == "the token is meant for another audience"


async def test_an_unknown_kid_is_refused_after_exactly_one_jwks_refetch(
    issuer: LocalIssuer, verifier_for: VerifierFactory
) -> None:
    # given a verifier that already holds the issuer's keys
    verifier = verifier_for()
    await verifier.verify(issuer.access_token())
    assert issuer.jwks_fetches == 1
    # when a token arrives signed with a key the issuer never published
    stranger = new_rsa_key("stranger")
    with pytest.raises(InvalidToken) as refusal:
        await verifier.verify(issuer.access_token(stranger))
    # then
    assert "unknown kid" in refusal.value.reason
    assert issuer.jwks_fetches == 2


async def test_alg_none_is_refused_without_asking_the_issuer(
    issuer: LocalIssuer, verifier_for: VerifierFactory
) -> None:
    token = mint({"alg": "none", "typ": "at+jwt", "kid": "rsa-1"}, issuer.claims(), None)
    assert await refused(verifier_for, token) == "unsigned tokens (alg: none) are not accepted"
    assert issuer.jwks_fetches == 0


async def test_hs256_keyed_with_the_issuers_public_key_is_refused(
    issuer: LocalIssuer, verifier_for: VerifierFactory
) -> None:
    # given the classic confusion attack: the RSA public key's PEM used as an HMAC secret
    secret = issuer.rsa_key.as_pem(private=False)
    token = mint({"alg": "HS256", "typ": "at+jwt", "kid": "rsa-1"}, issuer.claims(), secret)
    # when / then
    assert await refused(verifier_for, token) == "symmetric signatures (HS256) are not accepted"


def test_no_configuration_can_allow_symmetric_or_unsigned_tokens() -> None:
    for algorithms in [("RS256", "HS256"), ("none",), ()]:
        with pytest.raises(ValueError, match="algorithms"):
            OidcConfig(issuer="https://login.example.test", audience=AUDIENCE, algorithms=algorithms)


async def test_an_algorithm_outside_the_allow_list_is_refused(
    issuer: LocalIssuer, verifier_for: VerifierFactory
) -> None:
    key = issuer.rotate(new_rsa_key("rsa-512", alg="RS512"))
    token = issuer.access_token(key)
    assert await refused(verifier_for, token) == "the signature algorithm RS512 is not accepted"


async def test_a_tampered_payload_with_its_signature_kept_is_refused(
    issuer: LocalIssuer, verifier_for: VerifierFactory
) -> None:
    # given a genuine token whose payload is swapped for one granting more
    header, _, signature = issuer.access_token(sub="agent-1").split(".")
    forged = base64.urlsafe_b64encode(json.dumps(issuer.claims(sub="admin")).encode()).rstrip(b"=").decode()
    token = f"{header}.{forged}.{signature}"
    # when / then
    assert await refused(verifier_for, token) == "the token's signature does not verify"


async def test_a_key_embedded_in_the_header_is_never_trusted(
    issuer: LocalIssuer, verifier_for: VerifierFactory
) -> None:
    # given a token signed by an attacker's key, naming a real kid and carrying the attacker's public key
    attacker = new_ec_key("ec-1")
    token = issuer.access_token(
        attacker,
        header={
            "jwk": attacker.as_dict(private=False),
            "jku": "http://127.0.0.1:9/jwks",
            "x5u": "http://127.0.0.1:9/x5",
        },
    )
    # when / then
    assert await refused(verifier_for, token) == "the token's signature does not verify"


async def test_a_key_published_for_encryption_does_not_verify_signatures(
    issuer: LocalIssuer, verifier_for: VerifierFactory
) -> None:
    key = issuer.rotate(new_rsa_key("rsa-enc", use="enc"))
    token = issuer.access_token(key)
    assert "unknown kid" in await refused(verifier_for, token)


async def test_an_id_token_is_refused_by_its_header_typ(issuer: LocalIssuer, verifier_for: VerifierFactory) -> None:
    token = issuer.access_token(header={"typ": "JWT"}, nonce="n-0S6_WzA2Mj", aud="maillage-web")
    assert await refused(verifier_for, token) == "not an access token: header typ 'JWT' is not accepted"


@pytest.mark.parametrize("id_claims", [{"nonce": "n-0S6_WzA2Mj"}, {"typ": "ID"}])
async def test_an_id_token_is_refused_by_its_claims_when_jwt_typ_is_accepted(
    issuer: LocalIssuer, verifier_for: VerifierFactory, id_claims: dict[str, str]
) -> None:
    token = mint({"alg": "RS256", "typ": "JWT", "kid": "rsa-1"}, issuer.claims(**id_claims), issuer.rsa_key)
    with pytest.raises(InvalidToken) as refusal:
        await verifier_for(accepted_typ=("at+jwt", "JWT")).verify(token)
    assert refusal.value.reason == "an ID token is not an access token"


@pytest.mark.parametrize("claim", ["exp", "iss", "aud"])
async def test_a_token_missing_a_required_claim_is_refused(
    issuer: LocalIssuer, verifier_for: VerifierFactory, claim: str
) -> None:
    token = issuer.access_token(**{claim: None})
    assert await refused(verifier_for, token) == f"the token lacks required claims: {claim}"


@pytest.mark.parametrize(
    "garbage",
    ["", "garbage", "a.b.c", "eyJhbGciOiJSUzI1NiJ9", "e30.e30.e30", "a.b.c.d.e", "é.é.é"],
)
async def test_garbage_is_refused_as_not_a_jwt(
    issuer: LocalIssuer, verifier_for: VerifierFactory, garbage: str
) -> None:
    assert await refused(verifier_for, garbage) == "the bearer token is not a JWT"
    assert issuer.jwks_fetches == 0


# -- keys over time ---------------------------------------------------------------------------------


async def test_a_token_signed_with_a_newly_published_key_verifies_with_the_same_verifier(
    issuer: LocalIssuer, verifier_for: VerifierFactory
) -> None:
    # given a verifier holding the issuer's keys
    verifier = verifier_for()
    await verifier.verify(issuer.access_token())
    # when the issuer publishes a new key and signs with it
    rotated = issuer.rotate(new_ec_key("ec-2"))
    claims = await verifier.verify(issuer.access_token(rotated, sub="after-rotation"))
    # then
    assert claims["sub"] == "after-rotation"
    assert issuer.jwks_fetches == 2


async def test_random_unknown_kids_cause_at_most_one_extra_jwks_fetch(
    issuer: LocalIssuer, verifier_for: VerifierFactory
) -> None:
    # given
    verifier = verifier_for()
    await verifier.verify(issuer.access_token())
    # when 20 tokens arrive with kids nobody published
    for _ in range(20):
        token = issuer.access_token(header={"kid": uuid.uuid4().hex})
        with pytest.raises(InvalidToken):
            await verifier.verify(token)
    # then
    assert issuer.jwks_fetches <= 2


async def test_a_token_verified_once_is_not_checked_again_while_its_key_is_published(
    issuer: LocalIssuer, verifier_for: VerifierFactory
) -> None:
    # given a token verified once, then its signature corrupted in the copy a client sends next
    verifier = verifier_for()
    token = issuer.access_token(sub="seen-before")
    first = await verifier.verify(token)
    header, payload, signature = token.split(".")
    forged = f"{header}.{payload}.{signature[:-4]}AAAA"
    # when the same token comes again, and the forged one
    again = await verifier.verify(token)
    # then the same token is accepted as it was (its claims, no second fetch), a different one is checked
    assert again == first
    assert issuer.jwks_fetches == 1
    with pytest.raises(InvalidToken):
        await verifier.verify(forged)


async def test_a_token_verified_once_is_refused_once_its_key_is_withdrawn(
    issuer: LocalIssuer, verifier_for: VerifierFactory
) -> None:
    # given a token verified with a key, by a verifier whose keys go stale at once
    verifier = verifier_for(jwks_ttl_seconds=0)
    signing = issuer.rotate(new_ec_key("ec-withdrawn"))
    token = issuer.access_token(signing, sub="withdrawn")
    assert (await verifier.verify(token))["sub"] == "withdrawn"
    # when the issuer stops publishing that key
    issuer.keys.remove(signing)
    # then the same token, remembered as verified, is refused on its next use
    with pytest.raises(InvalidToken):
        await verifier.verify(token)


async def test_a_token_verified_once_is_refused_once_it_expires(
    issuer: LocalIssuer, verifier_for: VerifierFactory
) -> None:
    # given a token that expires in a second, verified with no leeway
    verifier = verifier_for(leeway_seconds=0)
    token = issuer.access_token(exp=int(time.time()) + 1)
    await verifier.verify(token)
    # when it has expired
    await asyncio.sleep(2.1)
    # then it is refused, remembered or not
    with pytest.raises(InvalidToken, match="expired"):
        await verifier.verify(token)


@pytest.mark.parametrize("outage", ["fail", "go_silent"])
async def test_cached_keys_keep_verifying_past_their_ttl_while_the_issuer_is_down(
    issuer: LocalIssuer, verifier_for: VerifierFactory, outage: str
) -> None:
    # given a verifier whose keys are stale as soon as they are fetched
    verifier = verifier_for(jwks_ttl_seconds=0, http_timeout_seconds=0.3)
    await verifier.verify(issuer.access_token())
    # when the issuer goes down
    getattr(issuer, outage)()
    first = await verifier.verify(issuer.access_token(sub="during-outage"))
    second = await verifier.verify(issuer.access_token(sub="still-during-outage"))
    # then the cached keys verify, and the issuer is asked again only after the cooldown
    assert (first["sub"], second["sub"]) == ("during-outage", "still-during-outage")
    assert issuer.discovery_fetches == 2


@pytest.mark.parametrize("outage", ["fail", "go_silent"])
async def test_the_issuer_down_with_no_cached_keys_is_issuer_unavailable(
    issuer: LocalIssuer, verifier_for: VerifierFactory, outage: str
) -> None:
    # given
    getattr(issuer, outage)()
    # when
    with pytest.raises(IssuerUnavailable) as unavailable:
        await verifier_for(http_timeout_seconds=0.3).verify(issuer.access_token())
    # then
    assert "discovery document" in unavailable.value.reason


async def test_a_discovery_document_naming_another_issuer_is_issuer_unavailable(
    issuer: LocalIssuer, verifier_for: VerifierFactory
) -> None:
    # given
    issuer.advertised_issuer = "https://login.example.test"
    # when
    with pytest.raises(IssuerUnavailable) as unavailable:
        await verifier_for().verify(issuer.access_token())
    # then
    assert "names issuer 'https://login.example.test'" in unavailable.value.reason
    assert issuer.jwks_fetches == 0


async def test_concurrent_verifications_on_a_cold_cache_share_one_fetch(
    issuer: LocalIssuer, verifier_for: VerifierFactory
) -> None:
    # given
    verifier = verifier_for()
    tokens = [issuer.access_token(sub=f"agent-{n}") for n in range(50)]
    # when
    results = await asyncio.gather(*(verifier.verify(token) for token in tokens))
    # then
    assert [claims["sub"] for claims in results] == [f"agent-{n}" for n in range(50)]
    assert (issuer.discovery_fetches, issuer.jwks_fetches) == (1, 1)


# -- hostile tokens and keys ------------------------------------------------------------------------


@pytest.mark.parametrize("claim", ["sub", "siret", "caf", "roles"])
@pytest.mark.parametrize("bad", ["agent\x00-1", "agent-\ud800"])
async def test_a_claim_holding_nul_or_a_lone_surrogate_is_refused(
    issuer: LocalIssuer, verifier_for: VerifierFactory, claim: str, bad: str
) -> None:
    # given a token from the trusted issuer, correctly signed, whose claim no text column can hold
    claims: dict[str, Any] = {claim: [bad] if claim == "roles" else bad}
    token = issuer.access_token(**claims)
    # when / then
    assert await refused(verifier_for, token) == f"the token's {claim} claim holds characters no text may hold"


async def test_an_rsa_key_under_2048_bits_is_not_used(issuer: LocalIssuer, verifier_for: VerifierFactory) -> None:
    # given the issuer publishes a 1024-bit RSA key and signs a token with it
    with pytest.warns(SecurityWarning):
        weak = issuer.rotate(RSAKey.generate_key(1024, {"kid": "rsa-weak", "use": "sig", "alg": "RS256"}))
    token = issuer.access_token(weak)
    # when / then: the key is as good as unpublished, while the issuer's other keys still verify
    assert "unknown kid" in await refused(verifier_for, token)
    assert (await verifier_for().verify(issuer.access_token()))["sub"] == "agent-1"


async def test_an_ec_key_on_a_curve_under_p256_is_not_used(issuer: LocalIssuer, verifier_for: VerifierFactory) -> None:
    # given a JWKS entry on secp256k1 (not one of the NIST curves P-256, P-384, P-521)
    weak = ECKey.generate_key("secp256k1", {"kid": "ec-k1", "use": "sig", "alg": "ES256K"})
    published = [weak.as_dict(private=False), *(key.as_dict(private=False) for key in issuer.keys)]
    keys = parse_jwks({"keys": published}, url="x")
    # then only the issuer's strong keys remain
    assert [key.kid for key in keys.keys] == [key.kid for key in issuer.keys]
