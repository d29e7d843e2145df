// A sparkline per market-watch symbol (ECharts line, no axes): the intraday minute closes or recent daily closes,
// with live ticks appended. Green when the last point is above the first, red below.
import { useMemo } from 'react';
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { GridComponent } from 'echarts/components';
import { EChart, type EChartOption } from '../../charts/EChart.tsx';
import type { SparkPoint } from './market-watch.ts';

echarts.use([LineChart, GridComponent]);

export function Sparkline({ points, testId }: { points: readonly SparkPoint[]; testId?: string }) {
  const option = useMemo<EChartOption>(() => {
    const up = points.length < 2 || points[points.length - 1]!.c >= points[0]!.c;
    return {
      animation: false,
      grid: { left: 1, right: 1, top: 2, bottom: 2 },
      xAxis: { type: 'time', show: false },
      yAxis: { type: 'value', show: false, scale: true },
      series: [{ type: 'line', data: points.map((p) => [p.t, p.c]), showSymbol: false, lineStyle: { width: 1.2, color: up ? '#3ecf8e' : '#ff6b6b' } }],
    };
  }, [points]);
  return <EChart option={option} className="sparkline" testId={testId} />;
}
