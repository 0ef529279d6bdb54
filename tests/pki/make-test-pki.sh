#!/bin/sh
# Makes, at test time, everything a sealed-consent test needs, in DIR:
# a PKI that exists nowhere else, so no test ever trusts a real CA.
#
#   root.pem                the seal's root CA (trust it to verify a PDF)
#   intermediate.pem        its intermediate CA: [signing] chain
#   seal.pem, seal.key      the organisation's seal (EC P-256), issued by
#                           the intermediate; seal.key is PKCS#8 PEM
#   seal.p12, seal.pass     the same as PKCS#12 (mode 0600) and its password
#   seal-rsa.pem, .p12      an RSA-2048 seal, same password
#   tsa-root.pem            the TSA's CA: [signing] tsa_ca_file
#   tsa.pem, tsa.key        the TSA (extendedKeyUsage critical timeStamping)
#   rogue-tsa.pem, .key     a TSA certificate no trusted CA issued
#   softhsm2.conf, tokens/  a SoftHSM2 token "kiosk" (only with --softhsm):
#   pin                     user PIN 1234; the seal key as object "seal", id 01
#   nssdb/                  an NSS database trusting root.pem, for pdfsig
#                           (only with --nss)
#
# Usage: make-test-pki.sh DIR [--softhsm] [--nss]
set -eu

dir=$1
shift
mkdir -p "$dir"
cd "$dir"
dir=$(pwd)

quiet () { "$@" >/dev/null 2>&1 || { echo "make-test-pki: failed: $*" >&2; "$@"; exit 1; }; }

cat > ext.cnf <<'CNF'
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[seal]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[tsa]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF

ec_key () { quiet openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }

# self_signed NAME SUBJECT
self_signed () {
  ec_key "$1.key"
  quiet openssl req -new -x509 -utf8 -key "$1.key" -out "$1.pem" -days 3650 -subj "$2" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash"
}

# issue NAME SUBJECT ISSUER EXTENSION [KEYALG]
issue () {
  if [ "${5:-ec}" = rsa ]; then
    quiet openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key"
  else
    ec_key "$1.key"
  fi
  quiet openssl req -new -utf8 -key "$1.key" -out "$1.csr" -subj "$2"
  quiet openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" -CAcreateserial \
    -out "$1.pem" -days 1825 -sha256 -extfile ext.cnf -extensions "$4"
  rm -f "$1.csr"
}

self_signed root "/C=CN/O=Consent Kiosk Test Root CA/CN=Test Root CA"
issue intermediate "/C=CN/O=Consent Kiosk Test Root CA/CN=Test Seal CA" root ca
issue seal "/C=CN/O=示例银行股份有限公司/CN=示例银行 电子签章" intermediate seal
issue seal-rsa "/C=CN/O=示例银行股份有限公司/CN=示例银行 电子签章 RSA" intermediate seal rsa
self_signed tsa-root "/C=CN/O=Consent Kiosk Test TSA/CN=Test TSA Root"
issue tsa "/C=CN/O=Consent Kiosk Test TSA/CN=Test Time Stamping Authority" tsa-root tsa
self_signed rogue-root "/C=CN/O=Nobody/CN=Rogue Root"
issue rogue-tsa "/C=CN/O=Nobody/CN=Rogue Time Stamping Authority" rogue-root tsa
rm -f rogue-root.key

printf 'correct horse 电池\n' > seal.pass
chmod 0600 seal.pass
for s in seal seal-rsa; do
  quiet openssl pkcs12 -export -inkey "$s.key" -in "$s.pem" -certfile intermediate.pem \
    -name "$s" -out "$s.p12" -passout file:seal.pass
  chmod 0600 "$s.p12" "$s.key"
done

for arg in "$@"; do
  case $arg in
    --softhsm)
      mkdir -p tokens
      printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$dir" > softhsm2.conf
      printf '1234\n' > pin
      chmod 0600 pin
      SOFTHSM2_CONF="$dir/softhsm2.conf" quiet softhsm2-util --init-token --free --label kiosk \
        --so-pin 87654321 --pin 1234
      SOFTHSM2_CONF="$dir/softhsm2.conf" quiet softhsm2-util --import seal.key --token kiosk \
        --label seal --id 01 --pin 1234
      ;;
    --nss)
      mkdir -p nssdb
      quiet certutil -N -d "sql:$dir/nssdb" --empty-password
      quiet certutil -A -d "sql:$dir/nssdb" -n root -t "CT,C,C" -i root.pem
      ;;
    *)
      echo "make-test-pki: unknown option $arg" >&2
      exit 2
      ;;
  esac
done
