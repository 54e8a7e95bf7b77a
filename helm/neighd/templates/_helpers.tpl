{{/*
Chart name, truncated to the 63 characters a label value may have.
*/}}
{{- define "neighd.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name of the objects: release name, plus the chart name unless the release already contains it.
*/}}
{{- define "neighd.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "neighd.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Selector labels: stable for the life of the DaemonSet (its selector is immutable).
*/}}
{{- define "neighd.selectorLabels" -}}
app.kubernetes.io/name: {{ include "neighd.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Labels of every object.
*/}}
{{- define "neighd.labels" -}}
helm.sh/chart: {{ include "neighd.chart" . }}
{{ include "neighd.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: neighbour-daemon
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "neighd.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "neighd.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "neighd.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/*
Port of the actuator (health, prometheus): the management port when set, else the API port.
*/}}
{{- define "neighd.actuatorPort" -}}
{{- if .Values.management.port }}{{ .Values.management.port }}{{ else }}{{ .Values.server.port }}{{ end }}
{{- end }}

{{/*
Scheme of the actuator: HTTPS only when it shares the API's port and the API serves TLS.
*/}}
{{- define "neighd.actuatorScheme" -}}
{{- if and .Values.tls.enabled (not .Values.management.port) }}HTTPS{{ else }}HTTP{{ end }}
{{- end }}

{{/*
Name of the container port the actuator listens on.
*/}}
{{- define "neighd.actuatorPortName" -}}
{{- if .Values.management.port }}management{{ else }}http{{ end }}
{{- end }}

{{/*
Secret holding the API tokens: an existing one, or the one the chart creates (always: a token not
given is generated into it, never logged by the pods).
*/}}
{{- define "neighd.apiTokenSecretName" -}}
{{- if .Values.api.existingSecret }}
{{- .Values.api.existingSecret }}
{{- else }}
{{- printf "%s-api" (include "neighd.fullname" .) }}
{{- end }}
{{- end }}

{{- define "neighd.apiTokenSecretKey" -}}
{{- if .Values.api.existingSecret }}{{ .Values.api.existingSecretKey }}{{ else }}token{{ end }}
{{- end }}

{{- define "neighd.readTokenSecretKey" -}}
{{- if .Values.api.existingSecret }}{{ .Values.api.existingSecretReadTokenKey }}{{ else }}read-token{{ end }}
{{- end }}

{{/*
A token for the chart's Secret, base64: the value given; else the one the Secret already holds
(lookup: kept across upgrades; helm template and --dry-run see no cluster and make a new one);
else 40 random characters. Arguments: (list value existingData key).
*/}}
{{- define "neighd.tokenData" -}}
{{- $value := index . 0 }}
{{- $old := index . 1 }}
{{- $key := index . 2 }}
{{- if $value }}{{ $value | b64enc }}{{ else if hasKey $old $key }}{{ index $old $key }}{{ else }}{{ randAlphaNum 40 | b64enc }}{{ end }}
{{- end }}

{{/*
Whether the metrics Service exists (the ServiceMonitor selects it).
*/}}
{{- define "neighd.serviceEnabled" -}}
{{- if or .Values.service.enabled .Values.prometheus.monitor.enabled }}true{{ end }}
{{- end }}

{{/*
The `job` label Prometheus gives the targets: the Service name unless told otherwise.
*/}}
{{- define "neighd.job" -}}
{{- default (include "neighd.fullname" .) .Values.prometheus.rules.job }}
{{- end }}

{{/*
application.yaml: what the chart knows, deep-merged with .Values.config (which wins).
Property names are the service's (relaxed binding): neighd.interfaces[N].name, ...
*/}}
{{- define "neighd.applicationConfig" -}}
{{- $neighd := dict "state-file" "/var/lib/neighd/state.json" }}
{{- with .Values.interfaces }}
{{- $ifaces := list }}
{{- range . }}
{{- $i := dict "name" .name }}
{{- with .addresses }}{{ $_ := set $i "addresses" . }}{{ end }}
{{- with .mac }}{{ $_ := set $i "mac" . }}{{ end }}
{{- with .captureBuffer }}{{ $_ := set $i "capture-buffer" . }}{{ end }}
{{- $ifaces = append $ifaces $i }}
{{- end }}
{{- $_ := set $neighd "interfaces" $ifaces }}
{{- end }}
{{- with .Values.routes }}{{ $_ := set $neighd "routes" . }}{{ end }}
{{- if .Values.sysctl }}{{ $_ := set $neighd "sysctl-file" "/etc/neighd/sysctl.conf" }}{{ end }}
{{- $management := dict "endpoint" (dict "health" (dict "probes" (dict "enabled" true))) }}
{{- $server := dict "port" .Values.server.port }}
{{- if and .Values.server.address (ne .Values.server.address "hostIP") }}{{ $_ := set $server "address" .Values.server.address }}{{ end }}
{{- $spring := dict }}
{{- if .Values.tls.enabled }}
{{- $_ := set $server "ssl" (dict "bundle" "server") }}
{{- $pem := dict "keystore" (dict "certificate" "file:/etc/neighd-tls/tls.crt" "private-key" "file:/etc/neighd-tls/tls.key") "reload-on-update" true }}
{{- $_ := set $spring "ssl" (dict "bundle" (dict "pem" (dict "server" $pem))) }}
{{- end }}
{{- with .Values.management.port }}
{{- $ms := dict "port" . }}
{{- if and $.Values.management.address (ne $.Values.management.address "hostIP") }}{{ $_ := set $ms "address" $.Values.management.address }}{{ end }}
{{- if $.Values.tls.enabled }}{{ $_ := set $ms "ssl" (dict "enabled" false) }}{{ end }}
{{- $_ := set $management "server" $ms }}
{{- end }}
{{- $generated := dict "neighd" $neighd "server" $server "management" $management }}
{{- if $spring }}{{ $_ := set $generated "spring" $spring }}{{ end }}
{{- toYaml (mustMergeOverwrite $generated (deepCopy .Values.config)) }}
{{- end }}

{{/*
Timings of a probe, from its values block.
*/}}
{{- define "neighd.probeTimings" -}}
initialDelaySeconds: {{ .initialDelaySeconds }}
periodSeconds: {{ .periodSeconds }}
timeoutSeconds: {{ .timeoutSeconds }}
failureThreshold: {{ .failureThreshold }}
successThreshold: {{ .successThreshold }}
{{- end }}

{{/*
User and group neighd runs as (0 is a valid answer, so no `default`).
*/}}
{{- define "neighd.runAsUser" -}}
{{- if hasKey .Values.securityContext "runAsUser" }}{{ .Values.securityContext.runAsUser | int64 }}{{ else }}10001{{ end }}
{{- end }}

{{- define "neighd.runAsGroup" -}}
{{- if hasKey .Values.securityContext "runAsGroup" }}{{ .Values.securityContext.runAsGroup | int64 }}{{ else }}10001{{ end }}
{{- end }}
