/**
 * Not API: the one XML writer every renderer goes through. It sanitises and escapes every value it is given, so no
 * renderer can emit user text that FreeSWITCH's pre-processor would act on.
 */
package io.ominis.xmlcurl.internal;
