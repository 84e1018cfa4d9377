/** Settings read from the environment, validated up front so that a wrong one stops start-up with one clear line. */
package io.ominis.core.config;
