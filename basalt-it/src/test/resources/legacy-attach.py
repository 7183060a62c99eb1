"""The attach flow before the attachments API, as a compute host drives it through
python3-cinderclient: os-reserve, os-initialize_connection, os-attach (attach), then
os-begin_detaching, os-terminate_connection, os-detach (detach). noauth as user u1 of project p1.

    legacy-attach.py attach <endpoint> <volume-id> <initiator> <server-id>   # prints connection_info
    legacy-attach.py detach <endpoint> <volume-id> <initiator>
"""
import json
import sys

from cinderclient import client
from cinderclient.contrib import noauth
from keystoneauth1 import session


def main(action, endpoint, volume_id, initiator, server=None):
    auth = noauth.CinderNoAuthPlugin('u1', 'p1', None, endpoint)
    cinder = client.Client('3.0', session=session.Session(auth=auth))
    volume = cinder.volumes.get(volume_id)
    connector = {'initiator': initiator, 'ip': '127.0.0.1', 'host': 'legacy-host',
                 'platform': 'x86_64', 'os_type': 'linux', 'multipath': False}
    if action == 'attach':
        cinder.volumes.reserve(volume)
        info = cinder.volumes.initialize_connection(volume, connector)
        cinder.volumes.attach(volume, server, '/dev/vdc', mode='rw')
        print(json.dumps(info))
    else:
        cinder.volumes.begin_detaching(volume)
        cinder.volumes.terminate_connection(volume, connector)
        attachment = cinder.volumes.get(volume_id).attachments[0]['attachment_id']
        cinder.volumes.detach(volume, attachment)


if __name__ == '__main__':
    main(*sys.argv[1:])
