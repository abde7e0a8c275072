#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: 2026 mptcpstate developers
# Apache License 2.0 (see LICENSE at the root of the mptcpstate repository or
# https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: apply
short_description: Make a host's MPTCP endpoints and limits match a desired state
version_added: "0.2.0"
description:
  - Runs C(mptcpstate apply --json) on the managed host, one process per task and host, with the desired
    state given inline (I(config)) or as a file on the managed host (I(src)).
  - mptcpstate reads the kernel, plans the difference, applies it, re-reads the kernel to verify it and
    rolls back on any failure, so a failed task leaves the namespace as it was (see I(rolled_back)).
  - In check mode the module runs C(mptcpstate apply --json --dry-run) and writes nothing.
  - In diff mode it shows the namespace before and after (as planned in check mode), as YAML, endpoint ids
    left out.
  - "Ansible's own C(warnings) result key holds text only, so mptcpstate's warnings with their codes are
    returned in I(warning_details), and each is also shown as an Ansible warning
    C([CODE] FILE:LINE:COLUMN: MESSAGE) unless its code is in I(suppress_warnings)."
options:
  config:
    description:
      - The desired state as a mapping, in the format of an mptcpstate state file (keys C(mptcp) and
        C(interfaces)). It is passed to mptcpstate as JSON on standard input and never written to disk.
      - Numbers that templating turned into strings of digits (C("4") from C("{{ n | int }}")) are accepted.
      - Exactly one of I(config) and I(src) is required.
    type: dict
  src:
    description:
      - Path of a state file (YAML or JSON) on the managed host.
      - Exactly one of I(config) and I(src) is required.
    type: path
  netns:
    description:
      - A network namespace name under C(/run/netns) (as made by C(ip netns add)) or a path such as
        C(/proc/PID/ns/net), passed as C(--netns). Needs CAP_SYS_ADMIN.
      - When not set, the namespace mptcpstate runs in (the host's).
    type: str
  executable:
    description:
      - The mptcpstate program on the managed host.
    type: path
    default: /usr/bin/mptcpstate
  lock_wait:
    description:
      - Seconds to wait for another apply on the same namespace (C(--lock-wait)). When not set, mptcpstate's
        default (30).
    type: int
  suppress_warnings:
    description:
      - Warning codes (for example C(link-local-skipped)) not shown as Ansible warnings. They are still
        returned in I(warning_details).
    type: list
    elements: str
    default: []
notes:
  - One mptcpstate process runs per host and task; the result says whether anything changed, so no
    C(changed_when) is needed.
  - The module never returns C(rc) on success (C(apply --dry-run) exits 2 when changes are pending, and
    Ansible would take a non-zero C(rc) for a failure).
requirements:
  - mptcpstate 0.2.0 or later on the managed host (C(apply --json)).
  - Linux with MPTCP; root, or CAP_NET_ADMIN (and CAP_SYS_ADMIN for I(netns)).
attributes:
  check_mode:
    description: Runs C(mptcpstate apply --json --dry-run), which reads the kernel and writes nothing.
    support: full
  diff_mode:
    description: Returns the namespace before and after (in check mode, as planned), as YAML.
    support: full
  platform:
    description: Linux with MPTCP (kernel 5.6 or later).
    support: full
    platforms: posix
author:
  - mptcpstate developers (!UNKNOWN)
'''

EXAMPLES = r'''
- name: Two subflow paths and a backup path
  mptcpstate.mptcpstate.apply:
    config:
      mptcp:
        enabled: true
        limits:
          subflows: 4
          add-addr-accepted: 2
      interfaces:
        - name: eth0
          mptcp:
            address-flags: [subflow]
        - name: wlan0
          mptcp:
            address-flags: [subflow, backup]

- name: Apply the state file the service role installed
  mptcpstate.mptcpstate.apply:
    src: /etc/mptcpstate/state.yml

- name: Limits from inventory variables ("4" from templating is fine), in a network namespace
  mptcpstate.mptcpstate.apply:
    netns: "{{ netns }}"
    lock_wait: 60
    config:
      mptcp:
        limits:
          subflows: "{{ mptcp_subflows | int }}"
    suppress_warnings: [link-local-skipped]
  register: mptcp

- name: Show what changed
  ansible.builtin.debug:
    msg: "{{ mptcp.changes | map(attribute='text') | list }}"
  when: mptcp is changed
'''

RETURN = r'''
changed:
  description: Whether the namespace was changed (in check mode, whether it would be).
  returned: always
  type: bool
changes:
  description:
    - The changes made (in check mode, planned), in the order mptcpstate makes them, as in
      C(mptcpstate apply --json); empty when nothing changes.
  returned: success
  type: list
  elements: dict
  contains:
    action:
      description: What the change does, for example C(set-limits), C(add-endpoint), C(change-flags),
        C(remove-endpoint), C(set-enabled).
      type: str
      sample: set-limits
    text:
      description: The change as mptcpstate prints it.
      type: str
      sample: "~ limits: subflows 2 -> 4"
    old:
      description: The values before the change (null for an added endpoint).
      type: dict
      sample: {"subflows": 2, "add-addr-accepted": 0}
    new:
      description: The values after the change (null for a removed endpoint).
      type: dict
      sample: {"subflows": 4, "add-addr-accepted": 0}
  sample:
    - {"action": "set-limits", "text": "~ limits: subflows 2 -> 4",
       "old": {"subflows": 2, "add-addr-accepted": 0}, "new": {"subflows": 4, "add-addr-accepted": 0}}
    - {"action": "add-endpoint", "text": "+ endpoint 192.0.2.10 on eth0 [subflow]", "old": null,
       "new": {"address": "192.0.2.10", "interface": "eth0", "flags": ["subflow"]}}
warning_details:
  description:
    - "mptcpstate's warnings with their codes (Ansible reserves C(warnings) for text). Each one is also shown
      as an Ansible warning C([CODE] FILE:LINE:COLUMN: MESSAGE) unless its code is in I(suppress_warnings)."
  returned: success
  type: list
  elements: dict
  contains:
    code:
      description: A stable code, for example C(link-local-skipped); docs/commands.md of mptcpstate lists
        them.
      type: str
    message:
      description: The warning's text.
      type: str
    file:
      description: The state file (C(-) for I(config)), when the warning comes from it.
      type: str
    line:
      description: The line in the state file, when known.
      type: int
    column:
      description: The column in the state file, when known.
      type: int
  sample:
    - {"code": "link-local-skipped", "file": "-",
       "message": "skipping 1 link-local address (eth0): it gets no MPTCP endpoint; --verbose lists each"}
verified:
  description: Whether mptcpstate re-read the kernel after applying and found it as planned (false when there
    was nothing to apply).
  returned: success, not in check mode
  type: bool
  sample: true
error:
  description: mptcpstate's error document (code, message, exit code and, when it comes from the state,
    file, line and column).
  returned: failure
  type: dict
  sample: {"code": "invalid-input", "message": "-:1:40: subflows must be from 0 to 8, got 9",
           "exit-code": 65}
problems:
  description: Every problem of an invalid state, with its position.
  returned: failure on invalid input
  type: list
  elements: dict
  sample: [{"file": "-", "line": 1, "column": 40, "message": "subflows must be from 0 to 8, got 9"}]
rolled_back:
  description: Whether a failed apply restored the namespace as it was before the task.
  returned: failure of an apply
  type: bool
  sample: true
rc:
  description: mptcpstate's exit code.
  returned: failure
  type: int
  sample: 1
'''

import json
import os
import platform

from ansible.module_utils.basic import AnsibleModule


def render(document):
    """The document as text in mptcpstate's key order (the callback would print a dict as JSON with its keys
    sorted): YAML when PyYAML is on the managed host, else indented JSON."""
    if document is None:
        return ''
    try:
        import yaml
        return yaml.safe_dump(document, sort_keys=False, default_flow_style=False, indent=2)
    except ImportError:
        return json.dumps(document, indent=2) + '\n'


def warning_text(warning):
    where = warning.get('file') or ''
    if where == '-' and not warning.get('line'):
        where = ''  # the config option's state, no position: nothing to point at
    if where and warning.get('line'):
        where += ':%s' % warning['line']
        if warning.get('column'):
            where += ':%s' % warning['column']
    return '[%s] %s%s' % (warning.get('code'), where + ': ' if where else '', warning.get('message'))


def command(params, check_mode):
    args = [params['executable'], 'apply', '--json']
    if check_mode:
        args.append('--dry-run')
    if params['netns']:
        args += ['--netns', params['netns']]
    if params['lock_wait'] is not None:
        args += ['--lock-wait', str(params['lock_wait'])]
    args.append('-' if params['config'] is not None else params['src'])
    return args


def main():
    module = AnsibleModule(
        argument_spec=dict(
            config=dict(type='dict'),
            src=dict(type='path'),
            netns=dict(type='str'),
            executable=dict(type='path', default='/usr/bin/mptcpstate'),
            lock_wait=dict(type='int'),
            suppress_warnings=dict(type='list', elements='str', default=[]),
        ),
        mutually_exclusive=[('config', 'src')],
        required_one_of=[('config', 'src')],
        supports_check_mode=True,
    )
    params = module.params
    if not os.access(params['executable'], os.X_OK):
        module.fail_json(msg='mptcpstate: %s is not an executable program (option executable)' % params['executable'])

    args = command(params, module.check_mode)
    data = json.dumps(params['config']) if params['config'] is not None else None
    rc, out, err = module.run_command(args, data=data, binary_data=True)
    try:
        document = json.loads(out)
    except ValueError:
        document = None
    if not isinstance(document, dict):
        module.fail_json(msg='mptcpstate exited %d without a JSON document: %s' % (rc, (err or out).strip()),
                         rc=rc, stdout=out, stderr=err, cmd=args)

    if 'error' in document:
        error = document['error']
        failure = dict(msg='mptcpstate: %s' % error.get('message'), error=error, rc=rc,
                       changed=bool(document.get('changed')))
        if 'problems' in document:
            failure['problems'] = document['problems']
        if 'rolled-back' in document:
            failure['rolled_back'] = document['rolled-back']
        module.fail_json(**failure)
    if rc not in (0, 2):
        module.fail_json(msg='mptcpstate exited %d: %s' % (rc, err.strip()), rc=rc, stdout=out, stderr=err)

    details = document.get('warnings', [])
    for warning in details:
        if warning.get('code') not in params['suppress_warnings']:
            module.warn(warning_text(warning))

    result = dict(changed=bool(document.get('changed')), changes=document.get('changes', []),
                  warning_details=details)
    if not module.check_mode:
        result['verified'] = document.get('verified')
    if module._diff:
        where = platform.node() + (' netns ' + params['netns'] if params['netns'] else '')
        result['diff'] = dict(before=render(document.get('before')), after=render(document.get('after')),
                              before_header='%s (kernel)' % where,
                              after_header='%s (%s)' % (where, 'planned' if module.check_mode else 'applied'))
    module.exit_json(**result)


if __name__ == '__main__':
    main()
