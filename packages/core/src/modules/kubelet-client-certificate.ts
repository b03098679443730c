import { signingCaFile } from '@hakoc/certs';
import type { BootModule } from './module.js';
import { NODE_ENVIRONMENT_UNIT } from './node-environment.js';
import { machinePaths } from './paths.js';
import { TMPFILES_UNIT } from './tmpfiles.js';

/** The controller unit that issues the kubelet's first client certificate. */
export const kubeletClientCertificateUnitName = 'hakoc-kubelet-client-certificate.service';

/** Path of the script that issues it. */
export const KUBELET_CLIENT_CERTIFICATE_SCRIPT = `${machinePaths.hakocBin}/kubelet-client-certificate`;

/**
 * Issues `system:node:<name>` (group `system:nodes`) with the cluster CA key a controller
 * holds anyway, as kubeadm does on control-plane nodes, and writes it with its key where the
 * kubelet keeps its rotating client certificate. Skips when one is there: the kubelet renews
 * it through CSRs from then on.
 */
export const KUBELET_CLIENT_CERTIFICATE_SCRIPT_TEXT = `#!/bin/bash
# Usage: kubelet-client-certificate NODE_NAME PKI_DIR OUT_DIR DAYS
set -euo pipefail
name=$1 pki=$2 out=$3 days=$4
[[ -s $out/kubelet-client-current.pem ]] && exit 0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/key.pem"
openssl req -new -key "$work/key.pem" -subj "/O=system:nodes/CN=system:node:$name" -out "$work/csr.pem"
printf 'basicConstraints=critical,CA:FALSE\\nkeyUsage=critical,digitalSignature\\nextendedKeyUsage=clientAuth\\n' >"$work/ext.cnf"
openssl x509 -req -in "$work/csr.pem" -CA "$pki/${signingCaFile}" -CAkey "$pki/ca.key" -set_serial "0x$(openssl rand -hex 16)" -days "$days" -sha256 -extfile "$work/ext.cnf" -out "$work/cert.pem"
mkdir -p "$out"
umask 077
cat "$work/cert.pem" "$work/key.pem" >"$out/kubelet-client-current.pem.tmp"
mv "$out/kubelet-client-current.pem.tmp" "$out/kubelet-client-current.pem"
`;

/** Controllers only: the kubelet's first client certificate, issued on the machine at boot. */
export const kubeletClientCertificateModule: BootModule = (model) => ({
  files: [
    {
      path: KUBELET_CLIENT_CERTIFICATE_SCRIPT,
      contents: KUBELET_CLIENT_CERTIFICATE_SCRIPT_TEXT,
      mode: 0o755,
    },
  ],
  units: [
    {
      name: kubeletClientCertificateUnitName,
      enabled: false,
      contents: `[Unit]
Description=Issue the kubelet's first client certificate with the cluster CA
Requires=${NODE_ENVIRONMENT_UNIT} ${TMPFILES_UNIT}
After=${NODE_ENVIRONMENT_UNIT} ${TMPFILES_UNIT}

[Service]
Type=oneshot
RemainAfterExit=yes
EnvironmentFile=${machinePaths.nodeEnvironment}
ExecStart=${KUBELET_CLIENT_CERTIFICATE_SCRIPT} \${NODE_NAME} ${machinePaths.kubernetesPki} ${machinePaths.kubeletPki} ${model.pki.leafValidityDays}
`,
    },
  ],
});
