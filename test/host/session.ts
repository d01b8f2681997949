// One way for host suites and benches to log in to the test host over the product's own SSH layer.
import { connectSsh } from '../../main/services/ssh/connect.js';
import type { SshSession } from '../../main/services/ssh/session.js';
import type { TestHost } from './testHost.js';

/** Logs in as admin with its key and password (sudo asks for the password), trusting only the host's own known_hosts. */
export function connectAdmin(host: TestHost): Promise<SshSession> {
  return connectSsh({
    target: { user: 'admin', host: host.sshHost, port: host.sshPort },
    knownHostsFile: host.knownHostsPath,
    onUnknownHostKey: 'refuse',
    identityFile: host.users.admin.keyPath,
    password: host.users.admin.password ?? '',
    agent: false,
    useSshConfig: false,
  });
}
