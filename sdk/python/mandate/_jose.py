"""The JOSE the SDK needs, on python3-cryptography: ES256 keys, compact JWS, RFC 7638 thumbprints."""
from __future__ import annotations

import base64
import hashlib
import json
from typing import Any, Dict, Mapping, Tuple

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _json(value: Mapping[str, Any]) -> bytes:
    return json.dumps(value, separators=(",", ":"), sort_keys=False).encode("utf-8")


class EcKey:
    """A P-256 private key: signs ES256 JWS, shows its public JWK and thumbprint."""

    def __init__(self, key: ec.EllipticCurvePrivateKey) -> None:
        if not isinstance(key.curve, ec.SECP256R1):
            raise ValueError("an ES256 key must be on P-256")
        self._key = key

    @classmethod
    def generate(cls) -> "EcKey":
        return cls(ec.generate_private_key(ec.SECP256R1()))

    @classmethod
    def from_jwk(cls, jwk: Mapping[str, Any]) -> "EcKey":
        """A private EC JWK (``kty`` EC, ``crv`` P-256, ``x``, ``y``, ``d``)."""
        if jwk.get("kty") != "EC" or jwk.get("crv") != "P-256" or "d" not in jwk:
            raise ValueError("a private EC P-256 JWK is needed")
        d = int.from_bytes(b64url_decode(jwk["d"]), "big")
        return cls(ec.derive_private_key(d, ec.SECP256R1()))

    def public_jwk(self) -> Dict[str, str]:
        numbers = self._key.public_key().public_numbers()
        return {"kty": "EC", "crv": "P-256", "x": b64url(numbers.x.to_bytes(32, "big")),
                "y": b64url(numbers.y.to_bytes(32, "big"))}

    def private_jwk(self) -> Dict[str, str]:
        jwk = self.public_jwk()
        jwk["d"] = b64url(self._key.private_numbers().private_value.to_bytes(32, "big"))
        return jwk

    def thumbprint(self) -> str:
        """RFC 7638: SHA-256 of the required members in lexicographic order."""
        jwk = self.public_jwk()
        canonical = json.dumps({"crv": jwk["crv"], "kty": jwk["kty"], "x": jwk["x"], "y": jwk["y"]},
                               separators=(",", ":"))
        return b64url(hashlib.sha256(canonical.encode("utf-8")).digest())

    def sign(self, header: Mapping[str, Any], claims: Mapping[str, Any]) -> str:
        """A compact ES256 JWS of ``claims`` (``alg`` is set here)."""
        head = dict(header)
        head["alg"] = "ES256"
        signing_input = f"{b64url(_json(head))}.{b64url(_json(claims))}".encode("ascii")
        r, s = decode_dss_signature(self._key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
        return signing_input.decode("ascii") + "." + b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))


def verify_es256(jwk: Mapping[str, Any], token: str) -> bool:
    """True if ``token`` is an ES256 JWS by the public P-256 ``jwk`` (for tests and tools; APIs use a full check)."""
    try:
        head, payload, signature = token.split(".")
        raw = b64url_decode(signature)
        public = ec.EllipticCurvePublicNumbers(int.from_bytes(b64url_decode(jwk["x"]), "big"),
                                               int.from_bytes(b64url_decode(jwk["y"]), "big"),
                                               ec.SECP256R1()).public_key()
        public.verify(encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")),
                      f"{head}.{payload}".encode("ascii"), ec.ECDSA(hashes.SHA256()))
        return True
    except Exception:  # noqa: BLE001 - anything malformed is simply not valid
        return False


def decode_unverified(token: str) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """The header and claims of a JWT, NOT checked: for display and for reading your own token's ``exp``."""
    parts = token.split(".")
    if len(parts) != 3:
        raise ValueError("not a compact JWS")
    return json.loads(b64url_decode(parts[0])), json.loads(b64url_decode(parts[1]))


def ath(access_token: str) -> str:
    """base64url(SHA-256(token)): a DPoP proof's ``ath``."""
    return b64url(hashlib.sha256(access_token.encode("ascii")).digest())
