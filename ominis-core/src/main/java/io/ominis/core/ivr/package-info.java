/** IVRs, their menus and digit options, and the cache of synthesized prompts. */
package io.ominis.core.ivr;
