#!/bin/sh
# Makes the certificates the mock of the verification API serves, in DIR:
#   ca.pem                     the test CA (the verifier's ca_file)
#   good.pem, good.key         127.0.0.1 and localhost, signed by the CA
#   otherhost.pem, otherhost.key   other.invalid, signed by the CA
#   untrusted.pem, untrusted.key   127.0.0.1, self-signed (no CA knows it)
# Usage: make-certs.sh DIR
set -eu

dir=$1
mkdir -p "$dir"
cd "$dir"

ec="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"

# shellcheck disable=SC2086
openssl req -x509 $ec -keyout ca.key -out ca.pem -days 2 \
  -subj "/CN=Consent Kiosk test CA" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null

leaf () {
  name=$1 san=$2
  # shellcheck disable=SC2086
  openssl req -new $ec -keyout "$name.key" -out "$name.csr" -subj "/CN=$name" 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' \
    "$san" > "$name.ext"
  openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -CAcreateserial \
    -days 2 -extfile "$name.ext" -out "$name.pem" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
}

leaf good "IP:127.0.0.1,DNS:localhost"
leaf otherhost "DNS:other.invalid"

# shellcheck disable=SC2086
openssl req -x509 $ec -keyout untrusted.key -out untrusted.pem -days 2 \
  -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" 2>/dev/null
