#!/usr/bin/env node
// bgpreader with every data interface of the project: the connectors register theirs (kafka) on
// import, then core's bgpreader runs. Core's own bgpreader knows only core's data interfaces,
// since core never imports a connector.
import '@bgpstream-ts/kafka';
import '@bgpstream-ts/core/cli/bgpreader';
