/** IP access-control lists served to FreeSWITCH as {@code acl.conf}. */
package io.ominis.core.acl;
